// The "Password" panel in the edit view of a User: the account's state, and Send code, Set password now
// and the expiry date — each shown disabled with the reason when this administrator may not use it.
import * as React from 'react';
import { Badge, Box, Button, DatePicker, Field, Flex, Loader, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type AccountStatus, type ActionVerdict } from '../api';
import { USER_UID } from '../constants';
import { getTranslation } from '../utils/getTranslation';
import { SetPasswordModal } from './SetPasswordModal';
import { ConfirmDialog } from '../components/ConfirmDialog';

const t = getTranslation;

/** An action's button; when the administrator may not use it, it is disabled and says why, right under it. */
const ActionButton = ({ verdict, id, label, onClick }: { verdict: ActionVerdict; id: string; label: string; onClick: () => void }) => (
  <Flex direction="column" alignItems="stretch" gap={1}>
    <Button variant="secondary" fullWidth disabled={!verdict.allowed} aria-describedby={id} onClick={onClick}>
      {label}
    </Button>
    {verdict.allowed || !verdict.reason ? null : (
      <Typography id={id} variant="pi" textColor="neutral600">
        {verdict.reason}
      </Typography>
    )}
  </Flex>
);

const PasswordPanelContent = ({ userId }: { userId: number }) => {
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const api = usePasswordResetApi();
  const [status, setStatus] = React.useState<AccountStatus | null>(null);
  const [loadError, setLoadError] = React.useState<string | null>(null);
  const [confirmSend, setConfirmSend] = React.useState(false);
  const [settingPassword, setSettingPassword] = React.useState(false);
  const [passwordJustSet, setPasswordJustSet] = React.useState(false);

  const refresh = React.useCallback(async () => {
    try {
      setStatus(await api.status(userId));
      setLoadError(null);
    } catch (error) {
      setLoadError(errorMessage(error, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' })));
    }
  }, [api, formatMessage, userId]);

  React.useEffect(() => {
    void refresh();
  }, [refresh]);

  if (loadError) return <Typography textColor="neutral600">{loadError}</Typography>;
  if (!status) return <Loader small>{formatMessage({ id: t('panel.loading'), defaultMessage: 'Loading password state' })}</Loader>;

  const when = (value: string) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

  const sendCode = async () => {
    try {
      const result = await api.sendCode(userId);
      toggleNotification(
        result.status === 'sent'
          ? {
              type: 'success',
              message: formatMessage({ id: t('panel.codeSent'), defaultMessage: 'An activation code was emailed to the account.' }),
            }
          : { type: 'danger', message: result.message ?? result.reason ?? '' },
      );
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error, '') });
    }
    setConfirmSend(false);
    await refresh();
  };

  const saveExpiry = async (date: Date | undefined) => {
    try {
      setStatus(await api.setExpiry(userId, date ? date.toISOString() : null));
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error, '') });
    }
  };

  const { actions, lastCode } = status;
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Flex gap={2} wrap="wrap">
        <Badge backgroundColor={status.activated ? 'success100' : 'warning100'} textColor={status.activated ? 'success700' : 'warning700'}>
          {formatMessage(
            status.activated
              ? { id: t('state.activated'), defaultMessage: 'Activated' }
              : { id: t('state.notActivated'), defaultMessage: 'Never activated' },
          )}
        </Badge>
        {status.kind !== 'regular' ? (
          <Badge backgroundColor="primary100" textColor="primary700">
            {formatMessage(
              status.kind === 'owner'
                ? { id: t('state.owner'), defaultMessage: 'Owner' }
                : { id: t('state.privileged'), defaultMessage: 'Administrator access' },
            )}
          </Badge>
        ) : null}
        {status.blocked ? (
          <Badge backgroundColor="danger100" textColor="danger700">
            {formatMessage({ id: t('state.blocked'), defaultMessage: 'Blocked' })}
          </Badge>
        ) : null}
        {status.expired ? (
          <Badge backgroundColor="danger100" textColor="danger700">
            {formatMessage({ id: t('state.expired'), defaultMessage: 'Expired' })}
          </Badge>
        ) : null}
      </Flex>

      <Typography variant="pi" textColor="neutral700">
        {lastCode
          ? formatMessage(
              {
                id: t(`lastCode.${lastCode.state}`),
                defaultMessage: {
                  live: 'Code sent {sent}; expires {expires}.',
                  used: 'Code sent {sent}; used {used}.',
                  revoked: 'Code sent {sent}; no longer valid.',
                  expired: 'Code sent {sent}; expired {expires}.',
                }[lastCode.state],
              },
              { sent: when(lastCode.sentAt), expires: when(lastCode.expiresAt), used: lastCode.usedAt ? when(lastCode.usedAt) : '' },
            )
          : formatMessage({ id: t('lastCode.none'), defaultMessage: 'No code sent yet.' })}
      </Typography>

      {passwordJustSet ? (
        <Typography variant="pi" textColor="success600" role="status">
          {formatMessage({
            id: t('panel.passwordSet'),
            defaultMessage: 'Password changed. The old password no longer works, and the account was signed out everywhere.',
          })}
        </Typography>
      ) : null}

      <ActionButton
        verdict={actions.sendCode}
        id="pr-send-reason"
        label={formatMessage({ id: t('panel.sendCode'), defaultMessage: 'Send code' })}
        onClick={() => setConfirmSend(true)}
      />
      <ActionButton
        verdict={actions.setPassword}
        id="pr-set-reason"
        label={formatMessage({ id: t('panel.setPassword'), defaultMessage: 'Set password now' })}
        onClick={() => setSettingPassword(true)}
      />

      <Field.Root
        name="password-reset-expiry"
        hint={formatMessage({ id: t('panel.expiryHint'), defaultMessage: 'After this date the account cannot reset its own password.' })}
      >
        <Field.Label>{formatMessage({ id: t('panel.expiry'), defaultMessage: 'Account expires' })}</Field.Label>
        <DatePicker
          value={status.expiresAt ? new Date(status.expiresAt) : undefined}
          onChange={(date) => void saveExpiry(date ?? undefined)}
          onClear={() => void saveExpiry(undefined)}
          disabled={!actions.setExpiry.allowed}
          clearLabel={formatMessage({ id: t('panel.expiryClear'), defaultMessage: 'Remove the expiry date' })}
        />
        <Field.Hint />
      </Field.Root>

      <ConfirmDialog
        open={confirmSend}
        onOpenChange={setConfirmSend}
        title={formatMessage({ id: t('panel.sendCode.title'), defaultMessage: 'Send an activation code?' })}
        body={formatMessage({
          id: t('panel.sendCode.body'),
          defaultMessage: 'The account gets an email with a link to set a new password. Its current password keeps working until then.',
        })}
        confirmLabel={formatMessage({ id: t('panel.sendCode.confirm'), defaultMessage: 'Send code' })}
        onConfirm={sendCode}
      />

      {settingPassword ? (
        <SetPasswordModal
          userId={userId}
          onClose={() => setSettingPassword(false)}
          onSaved={() => {
            setSettingPassword(false);
            setPasswordJustSet(true);
            void refresh();
          }}
        />
      ) : null}
      <Box />
    </Flex>
  );
};

export const PasswordPanel: PanelComponent = ({ model, document }) => {
  const { formatMessage } = useIntl();
  const userId = Number(document?.id);
  if (model !== USER_UID || !Number.isInteger(userId)) return null;
  return {
    title: formatMessage({ id: t('panel.title'), defaultMessage: 'Password' }),
    content: <PasswordPanelContent userId={userId} />,
  };
};
