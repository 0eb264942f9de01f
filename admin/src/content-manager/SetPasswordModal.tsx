// "Set password now": the new password twice, live feedback from the server's own policy, and whether to
// email the account holder.
import * as React from 'react';
import { Button, Checkbox, Field, Flex, Modal, TextInput, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type PolicyFailure } from '../api';
import { getTranslation } from '../utils/getTranslation';

const t = getTranslation;

interface Props {
  userId: number;
  onClose: () => void;
  onSaved: () => void;
}

export const SetPasswordModal = ({ userId, onClose, onSaved }: Props) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  const [password, setPassword] = React.useState('');
  const [confirmation, setConfirmation] = React.useState('');
  const [notify, setNotify] = React.useState(true);
  const [failures, setFailures] = React.useState<PolicyFailure[] | null>(null);
  const [saving, setSaving] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

  // Ask the server's policy — the one it will apply on save — a moment after typing stops.
  React.useEffect(() => {
    if (!password) {
      setFailures(null);
      return;
    }
    const timer = setTimeout(() => {
      api.checkPolicy(password, userId).then(setFailures, () => setFailures(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [api, password, userId]);

  const mismatch = confirmation.length > 0 && confirmation !== password;
  const canSave = password.length > 0 && password === confirmation && failures !== null && failures.length === 0 && !saving;

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    setSaving(true);
    setError(null);
    try {
      await api.setPassword(userId, password, notify);
      onSaved();
    } catch (failure) {
      setError(errorMessage(failure, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' })));
      setSaving(false);
    }
  };

  const policyText =
    failures && failures.length > 0
      ? failures
          .map((failure) => formatMessage({ id: t(`policy.${failure.rule}`), defaultMessage: failure.message }, { limit: failure.limit }))
          .join('; ')
      : undefined;

  return (
    <Modal.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Modal.Content>
        <form onSubmit={save} noValidate>
          <Modal.Header>
            <Modal.Title>{formatMessage({ id: t('setPassword.title'), defaultMessage: 'Set password now' })}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography>
                {formatMessage({
                  id: t('setPassword.intro'),
                  defaultMessage: 'The old password stops working as soon as you save, and the account is signed out everywhere.',
                })}
              </Typography>
              <Field.Root
                name="new-password"
                error={policyText}
                hint={
                  failures && failures.length === 0
                    ? formatMessage({ id: t('setPassword.policyOk'), defaultMessage: 'This password meets the policy.' })
                    : undefined
                }
              >
                <Field.Label>{formatMessage({ id: t('setPassword.password'), defaultMessage: 'New password' })}</Field.Label>
                <TextInput
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPassword(e.target.value)}
                />
                <Field.Error />
                <Field.Hint />
              </Field.Root>
              <Field.Root
                name="new-password-confirmation"
                error={
                  mismatch ? formatMessage({ id: t('setPassword.mismatch'), defaultMessage: 'The two passwords do not match.' }) : undefined
                }
              >
                <Field.Label>{formatMessage({ id: t('setPassword.confirmation'), defaultMessage: 'Repeat the new password' })}</Field.Label>
                <TextInput
                  type="password"
                  autoComplete="new-password"
                  value={confirmation}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setConfirmation(e.target.value)}
                />
                <Field.Error />
              </Field.Root>
              <Checkbox checked={notify} onCheckedChange={(checked) => setNotify(checked === true)}>
                {formatMessage({ id: t('setPassword.notify'), defaultMessage: 'Email the user that their password was changed' })}
              </Checkbox>
              {error ? (
                <Typography textColor="danger600" role="alert">
                  {error}
                </Typography>
              ) : null}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Button variant="tertiary" type="button" onClick={onClose}>
              {formatMessage({ id: t('action.cancel'), defaultMessage: 'Cancel' })}
            </Button>
            <Button type="submit" disabled={!canSave} loading={saving}>
              {formatMessage({ id: t('setPassword.save'), defaultMessage: 'Set password' })}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
