// The Delivery panel of the plugin's page: what the outbox says about the mail server (waiting emails, the oldest
// one's age, failures of the last day, the latest failed emails) and warnings in plain words, refreshed every 10 s
// while the page is open. The same answer as `GET /password-reset/health` (ARCHITECTURE.md, "Delivery").
import * as React from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type DeliveryHealth as Health, type RecentFailure } from '../api';
import { getTranslation } from '../utils/getTranslation';
import { Section } from '../components/Section';

const t = getTranslation;
const REFRESH_MS = 10_000;

const STATUS_BADGE = {
  ok: { textColor: 'success700', backgroundColor: 'success100' },
  degraded: { textColor: 'warning700', backgroundColor: 'warning100' },
  down: { textColor: 'danger700', backgroundColor: 'danger100' },
} as const;

/** One number of the summary, with its label above it. */
const Figure = ({ label, value }: { label: string; value: React.ReactNode }) => (
  <Flex direction="column" alignItems="flex-start" gap={1} minWidth="14rem">
    <Typography variant="sigma" textColor="neutral600" tag="dt">
      {label}
    </Typography>
    <Typography variant="beta" tag="dd">
      {value}
    </Typography>
  </Flex>
);

export const DeliveryHealth = () => {
  const { formatMessage, formatDate, formatNumber } = useIntl();
  const api = usePasswordResetApi();
  const [health, setHealth] = React.useState<Health | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(false);
  const generic = formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' });

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      setHealth(await api.health());
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure, generic));
    } finally {
      setLoading(false);
    }
  }, [api, generic]);

  React.useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  /** "45 seconds", "12 minutes", "3 hours": how long, rounded down to the largest unit. */
  const duration = (seconds: number) =>
    seconds < 120
      ? formatMessage(
          { id: t('delivery.age.seconds'), defaultMessage: '{count, plural, one {# second} other {# seconds}}' },
          { count: seconds },
        )
      : seconds < 7200
        ? formatMessage(
            { id: t('delivery.age.minutes'), defaultMessage: '{count, plural, one {# minute} other {# minutes}}' },
            { count: Math.floor(seconds / 60) },
          )
        : formatMessage(
            { id: t('delivery.age.hours'), defaultMessage: '{count, plural, one {# hour} other {# hours}}' },
            { count: Math.floor(seconds / 3600) },
          );
  const when = (at: string | null) =>
    at ? formatDate(at, { dateStyle: 'medium', timeStyle: 'medium' }) : formatMessage({ id: t('delivery.never'), defaultMessage: 'Never' });
  const errorLabel = (code: string) => formatMessage({ id: t(`delivery.error.${code}`), defaultMessage: code });

  const warningText = (code: Health['warnings'][number]) => {
    if (!health) return '';
    if (code === 'emails-waiting-too-long') {
      return formatMessage(
        {
          id: t('delivery.warning.emails-waiting-too-long'),
          defaultMessage:
            'An email has been waiting for more than {threshold}. Check that the mail server accepts emails and that a Strapi instance runs the outbox worker.',
        },
        { threshold: duration(health.warnWaitingSeconds) },
      );
    }
    if (code === 'emails-failed') {
      return formatMessage(
        {
          id: t('delivery.warning.emails-failed'),
          defaultMessage:
            '{count, plural, one {# email} other {# emails}} failed for good in the last 24 hours: those people did not receive their email. See the recent failures below.',
        },
        { count: health.failedLastDay.total },
      );
    }
    return formatMessage({
      id: t('delivery.warning.mail-server-unreachable'),
      defaultMessage:
        'The mail server could not be reached on the last attempt, and it has accepted no email since. Emails wait in the queue and will be tried again; check the email provider’s settings and that the mail server is up.',
    });
  };

  const describeMessage = (failure: RecentFailure) =>
    [
      formatMessage({ id: t(`delivery.kind.${failure.kind}`), defaultMessage: failure.kind }),
      formatMessage({ id: t(`templates.name.${failure.template}`), defaultMessage: failure.template }),
    ].join(' · ');

  const byError = health
    ? Object.entries(health.failedLastDay.byError)
        .map(([code, count]) => `${errorLabel(code)}: ${formatNumber(count ?? 0)}`)
        .join(', ')
    : '';

  const columns: Array<[key: string, fallback: string]> = [
    ['when', 'When'],
    ['to', 'Email address'],
    ['message', 'Email'],
    ['error', 'Failure'],
    ['outcome', 'Outcome'],
  ];
  const title = formatMessage({ id: t('delivery.title'), defaultMessage: 'Delivery' });
  const failuresTitle = formatMessage({ id: t('delivery.failures.title'), defaultMessage: 'Recent failures' });

  return (
    <Section title={title}>
      <Flex justifyContent="space-between" alignItems="center" gap={4} wrap="wrap">
        <Flex gap={3} alignItems="center">
          {health ? (
            <Badge {...STATUS_BADGE[health.status]}>
              {formatMessage({ id: t(`delivery.status.${health.status}`), defaultMessage: health.status })}
            </Badge>
          ) : null}
          {health ? (
            <Typography variant="pi" textColor="neutral600">
              {formatMessage({ id: t('delivery.checkedAt'), defaultMessage: 'Checked {when}' }, { when: when(health.checkedAt) })}
            </Typography>
          ) : null}
        </Flex>
        <Button variant="secondary" startIcon={<ArrowClockwise />} loading={loading} onClick={() => void load()}>
          {formatMessage({ id: t('delivery.refresh'), defaultMessage: 'Refresh' })}
        </Button>
      </Flex>

      {error ? (
        <Typography textColor="danger600" role="alert">
          {error}
        </Typography>
      ) : null}

      {health && health.warnings.length > 0 ? (
        <Flex direction="column" alignItems="stretch" gap={2} role="alert">
          {health.warnings.map((code) => (
            <Box
              key={code}
              padding={3}
              hasRadius
              background={code === 'mail-server-unreachable' ? 'danger100' : 'warning100'}
              borderColor={code === 'mail-server-unreachable' ? 'danger200' : 'warning200'}
            >
              <Typography textColor={code === 'mail-server-unreachable' ? 'danger700' : 'warning700'} data-warning={code}>
                {warningText(code)}
              </Typography>
            </Box>
          ))}
        </Flex>
      ) : null}

      {health ? (
        <Flex tag="dl" gap={6} wrap="wrap" alignItems="flex-start">
          <Figure
            label={formatMessage({ id: t('delivery.waiting'), defaultMessage: 'Emails waiting' })}
            value={formatNumber(health.waiting)}
          />
          <Figure label={formatMessage({ id: t('delivery.sending'), defaultMessage: 'Being sent' })} value={formatNumber(health.sending)} />
          <Figure
            label={formatMessage({ id: t('delivery.oldest'), defaultMessage: 'Oldest waiting for' })}
            value={health.oldestWaitingSeconds === null ? '—' : duration(health.oldestWaitingSeconds)}
          />
          <Figure
            label={formatMessage({ id: t('delivery.failedLastDay'), defaultMessage: 'Failed in the last 24 hours' })}
            value={
              <>
                {formatNumber(health.failedLastDay.total)}
                {byError ? (
                  <Typography variant="pi" textColor="neutral600" display="block">
                    {byError}
                  </Typography>
                ) : null}
              </>
            }
          />
          <Figure
            label={formatMessage({ id: t('delivery.lastSuccess'), defaultMessage: 'Last email accepted' })}
            value={<Typography>{when(health.mailServer.lastSuccessAt)}</Typography>}
          />
        </Flex>
      ) : null}

      <Typography variant="delta" tag="h3">
        {failuresTitle}
      </Typography>
      {!health ? null : health.recentFailures.length === 0 ? (
        <Typography textColor="neutral600">
          {formatMessage({ id: t('delivery.failures.empty'), defaultMessage: 'No email has failed recently.' })}
        </Typography>
      ) : (
        <Table colCount={columns.length} rowCount={(health?.recentFailures.length ?? 0) + 1} aria-label={failuresTitle}>
          <Thead>
            <Tr>
              {columns.map(([key, fallback]) => (
                // The design system's header cells say "gridcell"; a screen reader announces these as column headers.
                <Th key={key} role="columnheader">
                  <Typography variant="sigma">{formatMessage({ id: t(`delivery.column.${key}`), defaultMessage: fallback })}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {health.recentFailures.map((failure, index) => (
              <Tr key={`${failure.at}-${index}`}>
                <Td>
                  <Typography>{when(failure.at)}</Typography>
                </Td>
                <Td>
                  {failure.to ? (
                    <Typography>{failure.to}</Typography>
                  ) : (
                    <Typography textColor="neutral600">
                      {formatMessage({ id: t('delivery.hidden'), defaultMessage: 'Hidden: an account you may not manage' })}
                    </Typography>
                  )}
                </Td>
                <Td>
                  <Typography>{describeMessage(failure)}</Typography>
                </Td>
                <Td>
                  {/* The kind of failure, and the mail server's answer under it on one line (whole on hover), so that the outcome stays in view. */}
                  <Flex direction="column" alignItems="flex-start" maxWidth="26rem">
                    <Typography>{errorLabel(failure.error)}</Typography>
                    {failure.reason ? (
                      <Typography variant="pi" textColor="neutral600" ellipsis title={failure.reason} width="100%">
                        {failure.reason}
                      </Typography>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  <Typography textColor={failure.final ? 'danger600' : 'neutral800'}>
                    {failure.final
                      ? formatMessage({ id: t('delivery.final'), defaultMessage: 'Failed for good' })
                      : formatMessage(
                          { id: t('delivery.retrying'), defaultMessage: 'Will be tried again (attempt {attempts} failed)' },
                          { attempts: failure.attempts },
                        )}
                  </Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};
