// Why an account was not sent a code, in words: a reason code, or what the mail server or the database said;
// and how many accounts a send skips for each reason, as a dry run predicts it or a job recorded it.
import { Box, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { REASONS, type Reason } from '../../../shared/contracts';
import type { JobItem, SendResult } from '../api';
import { getTranslation } from '../utils/getTranslation';

type Outcome = Pick<SendResult, 'reason' | 'message' | 'failure'> & { status: SendResult['status'] | JobItem['status'] };

/** The text of a reason code in this locale, else the server's own words. */
export const useReasonText = () => {
  const { formatMessage } = useIntl();
  return (reason: string, serverMessage?: string) =>
    formatMessage({
      id: getTranslation(`reason.${reason}`),
      defaultMessage: serverMessage ?? (reason in REASONS ? REASONS[reason as Reason] : reason),
    });
};

/** What to tell an administrator about one account's outcome; nothing for a code sent or still on its way. */
export const useOutcomeText = () => {
  const { formatMessage } = useIntl();
  const reasonText = useReasonText();
  return ({ status, reason, message, failure }: Outcome): string => {
    if (status === 'skipped') return reasonText(String(reason), message);
    if (status === 'failed' && failure === 'database')
      return formatMessage({
        id: getTranslation('result.databaseFailed'),
        defaultMessage: 'the database could not store the code; nothing was sent.',
      });
    if (status === 'failed')
      return formatMessage(
        { id: getTranslation('result.emailFailed'), defaultMessage: 'the email was not accepted ({error}).' },
        { error: reason },
      );
    if (status === 'queued' && reason)
      return formatMessage(
        { id: getTranslation('result.queuedRetry'), defaultMessage: 'not sent yet ({error}); it will be tried again.' },
        { error: reason },
      );
    return '';
  };
};

export const SkipReasons = ({ counts, label }: { counts: Partial<Record<Reason, number>>; label: string }) => {
  const { formatMessage } = useIntl();
  const reasonText = useReasonText();
  const rows = (Object.entries(counts) as Array<[Reason, number | undefined]>)
    .filter((row): row is [Reason, number] => (row[1] ?? 0) > 0)
    .sort(([, a], [, b]) => b - a);
  if (rows.length === 0) return null;
  return (
    <Box tag="ul" aria-label={label} paddingLeft={5}>
      {rows.map(([reason, count]) => (
        <Box tag="li" key={reason} paddingBottom={1} style={{ listStyleType: 'disc' }}>
          <Typography variant="pi">
            {formatMessage(
              { id: getTranslation('bulk.skippedBy'), defaultMessage: '{count, plural, one {# account} other {# accounts}}: {reason}' },
              { count, reason: reasonText(reason) },
            )}
          </Typography>
        </Box>
      ))}
    </Box>
  );
};
