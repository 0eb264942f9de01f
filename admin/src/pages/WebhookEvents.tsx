// The plugin's events on Strapi's webhooks. Strapi 5's Settings → Webhooks form lists only its own events, so this
// panel shows each webhook with a checkbox per password-reset event and saves through Strapi's `/admin/webhooks`
// (ARCHITECTURE.md, "The audit log and webhooks"). Strapi's form keeps these events when it saves a webhook.
import * as React from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Box, Button, Checkbox, Flex, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type Webhook } from '../api';
import { getTranslation } from '../utils/getTranslation';
import { Section } from '../components/Section';
import { AUDIT_ACTIONS, WEBHOOK_EVENTS, webhookEvent } from '../../../shared/contracts';

const t = getTranslation;
const OURS = new Set<string>(WEBHOOK_EVENTS);

/** One webhook: its name and URL, the plugin's events as checkboxes, and Save. */
const WebhookRow = ({ webhook, canUpdate }: { webhook: Webhook; canUpdate: boolean }) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  const [chosen, setChosen] = React.useState(() => new Set(webhook.events.filter((event) => OURS.has(event))));
  const [saved, setSaved] = React.useState(chosen);
  const [status, setStatus] = React.useState<{ tone: 'success600' | 'danger600'; text: string } | null>(null);
  const [saving, setSaving] = React.useState(false);
  const changed = chosen.size !== saved.size || [...chosen].some((event) => !saved.has(event));

  const toggle = (event: string, on: boolean) => {
    setStatus(null);
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(event);
      else next.delete(event);
      return next;
    });
  };

  const save = async () => {
    setSaving(true);
    try {
      // Strapi's events on this webhook stay as they are; only the plugin's are replaced.
      const events = [...webhook.events.filter((event) => !OURS.has(event)), ...chosen];
      await api.updateWebhook(webhook, events);
      setSaved(new Set(chosen));
      setStatus({ tone: 'success600', text: formatMessage({ id: t('webhooks.saved'), defaultMessage: 'Saved.' }) });
    } catch (failure) {
      setStatus({
        tone: 'danger600',
        text: errorMessage(failure, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' })),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box tag="li" paddingTop={3} paddingBottom={3} borderColor="neutral150" borderStyle="solid" borderWidth="1px 0 0 0">
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography fontWeight="semiBold">
          {webhook.name} <Typography textColor="neutral600">{webhook.url}</Typography>
        </Typography>
        <Flex wrap="wrap" gap={4} role="group" aria-label={webhook.name}>
          {AUDIT_ACTIONS.map((action) => (
            <Checkbox
              key={action}
              name={webhookEvent(action)}
              disabled={!canUpdate}
              checked={chosen.has(webhookEvent(action))}
              onCheckedChange={(on: boolean | 'indeterminate') => toggle(webhookEvent(action), on === true)}
            >
              {formatMessage({ id: t(`event.${action}`), defaultMessage: action })}
            </Checkbox>
          ))}
        </Flex>
        {canUpdate ? (
          <Flex gap={3}>
            <Button variant="secondary" size="S" disabled={!changed} loading={saving} onClick={save}>
              {formatMessage({ id: t('webhooks.save'), defaultMessage: 'Save events' })}
            </Button>
            {status ? (
              <Typography textColor={status.tone} role="status">
                {status.text}
              </Typography>
            ) : null}
          </Flex>
        ) : null}
      </Flex>
    </Box>
  );
};

export const WebhookEvents = ({ canUpdate }: { canUpdate: boolean }) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  const [webhooks, setWebhooks] = React.useState<Webhook[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    api
      .webhooks()
      .then(setWebhooks, (failure) =>
        setError(errorMessage(failure, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' }))),
      );
  }, [api, formatMessage]);

  return (
    <Section title={formatMessage({ id: t('webhooks.title'), defaultMessage: 'Webhooks' })}>
      <Typography textColor="neutral600">
        {formatMessage({
          id: t('webhooks.intro'),
          defaultMessage:
            'Choose which password-reset events each webhook receives: every event of the audit log can be posted, naming the account and the actor, never a code or a password.',
        })}
      </Typography>
      {error ? (
        <Typography textColor="danger600" role="alert">
          {error}
        </Typography>
      ) : null}
      {webhooks?.length === 0 ? (
        <Typography>
          {formatMessage({ id: t('webhooks.none'), defaultMessage: 'There is no webhook yet.' })}{' '}
          <Link tag={RouterLink} to="/settings/webhooks/create">
            {formatMessage({ id: t('webhooks.create'), defaultMessage: 'Create one in Settings → Webhooks' })}
          </Link>
        </Typography>
      ) : null}
      <Box tag="ul">
        {webhooks?.map((webhook) => (
          <WebhookRow key={webhook.id} webhook={webhook} canUpdate={canUpdate} />
        ))}
      </Box>
    </Section>
  );
};
