// The service desk's PIN check: an account id and the PIN the caller reads out; match or no match.
import * as React from 'react';
import { Box, Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi } from '../api';
import { getTranslation } from '../utils/getTranslation';
import { PIN_LOCK_MINUTES, PIN_PATTERN } from '../../../shared/contracts';

const t = getTranslation;

export const PinCheck = ({ onChecked }: { onChecked: () => void }) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  const [userId, setUserId] = React.useState('');
  const [pin, setPin] = React.useState('');
  const [outcome, setOutcome] = React.useState<{ tone: 'success600' | 'danger600'; text: string } | null>(null);

  const check = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const { match, attemptsLeft } = await api.verifyPin(Number(userId), pin);
      setOutcome(
        match
          ? { tone: 'success600', text: formatMessage({ id: t('pin.match'), defaultMessage: 'The PIN matches.' }) }
          : {
              tone: 'danger600',
              text: formatMessage(
                {
                  id: t('pin.noMatch'),
                  defaultMessage:
                    'The PIN does not match. {left, plural, =0 {Checking is now locked for {minutes} minutes.} one {# try left.} other {# tries left.}}',
                },
                { left: attemptsLeft, minutes: PIN_LOCK_MINUTES },
              ),
            },
      );
    } catch (error) {
      setOutcome({
        tone: 'danger600',
        text: errorMessage(error, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' })),
      });
    }
    setPin('');
    onChecked();
  };

  return (
    <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
      <form onSubmit={check}>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Typography variant="delta" tag="h2">
            {formatMessage({ id: t('pin.title'), defaultMessage: 'Check a support PIN' })}
          </Typography>
          <Flex gap={4} alignItems="flex-end" wrap="wrap">
            <Field.Root name="pin-user-id" required>
              <Field.Label>{formatMessage({ id: t('pin.account'), defaultMessage: 'Account id' })}</Field.Label>
              <TextInput
                inputMode="numeric"
                value={userId}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setUserId(e.target.value)}
              />
            </Field.Root>
            <Field.Root name="pin-value" required>
              <Field.Label>{formatMessage({ id: t('pin.pin'), defaultMessage: 'PIN read out by the caller' })}</Field.Label>
              <TextInput
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={pin}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPin(e.target.value)}
              />
            </Field.Root>
            <Button type="submit" disabled={!/^\d+$/.test(userId) || !PIN_PATTERN.test(pin)}>
              {formatMessage({ id: t('pin.check'), defaultMessage: 'Check PIN' })}
            </Button>
          </Flex>
          {outcome ? (
            <Typography textColor={outcome.tone} role="status">
              {outcome.text}
            </Typography>
          ) : null}
        </Flex>
      </form>
    </Box>
  );
};
