// The outcome of sending codes: how many were sent, and each skipped, failed or retrying account with its reason.
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { SendCodesResponse } from '../api';
import { useOutcomeText } from '../components/Reasons';
import { getTranslation } from '../utils/getTranslation';

export const SendResults = ({ response }: { response: SendCodesResponse }) => {
  const { formatMessage } = useIntl();
  const outcomeText = useOutcomeText();
  const problems = response.results.filter((result) => result.status !== 'sent');
  return (
    <Flex direction="column" alignItems="stretch" gap={3} role="status">
      <Typography variant="omega" fontWeight="bold">
        {formatMessage(
          {
            id: getTranslation('bulk.summary'),
            defaultMessage: '{sent} sent, {skipped} skipped, {failed} failed.',
          },
          response.summary,
        )}
      </Typography>
      {problems.length > 0 ? (
        <Box tag="ul" aria-label={formatMessage({ id: getTranslation('bulk.problems'), defaultMessage: 'Accounts not sent a code' })}>
          {problems.map((result) => (
            <Box tag="li" key={result.userId} paddingBottom={2}>
              <Flex gap={2} alignItems="baseline">
                <Badge
                  backgroundColor={result.status === 'failed' ? 'danger100' : 'neutral150'}
                  textColor={result.status === 'failed' ? 'danger700' : 'neutral700'}
                >
                  {formatMessage({ id: getTranslation(`result.${result.status}`), defaultMessage: result.status })}
                </Badge>
                <Typography variant="pi">
                  {result.email ??
                    formatMessage({ id: getTranslation('result.account'), defaultMessage: 'Account {id}' }, { id: result.userId })}
                  {': '}
                  {outcomeText(result)}
                </Typography>
              </Flex>
            </Box>
          ))}
        </Box>
      ) : null}
    </Flex>
  );
};
