// "Send activation code" in the Content Manager list of Users: what a send would do (a dry run), a confirmation,
// then the per-account results — at once for a few accounts, or a job's live progress and results for many.
import * as React from 'react';
import { Box, Button, Flex, Loader, Modal, Typography } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import type { BulkActionComponent } from '@strapi/content-manager/strapi-admin';
import { useIntl } from 'react-intl';
import { errorMessage, isJobStarted, usePasswordResetApi, type DryRunResponse, type SendOutcome } from '../api';
import { SendOutcomeView } from '../components/JobView';
import { SkipReasons } from '../components/Reasons';
import { PERMISSIONS, USER_UID } from '../constants';
import { getTranslation } from '../utils/getTranslation';

const t = getTranslation;

interface Props {
  userIds: number[];
  onClose: () => void;
}

/** How many of the selected accounts would be sent a code now, and why the others would not. */
const DryRunSummary = ({ dryRun }: { dryRun: DryRunResponse | null }) => {
  const { formatMessage } = useIntl();
  if (!dryRun) {
    return (
      <Flex gap={2}>
        <Box aria-hidden>
          <Loader small />
        </Box>
        <Typography variant="pi" textColor="neutral600">
          {formatMessage({ id: t('bulk.checking'), defaultMessage: 'Checking which accounts can be sent a code…' })}
        </Typography>
      </Flex>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={2} role="status">
      <Typography fontWeight="semiBold">
        {formatMessage(
          {
            id: t('bulk.willSend'),
            defaultMessage: '{count, plural, =0 {No account} one {# account} other {# accounts}} will be sent a code.',
          },
          { count: dryRun.willSend },
        )}{' '}
        {formatMessage(
          {
            id: t('bulk.willSkip'),
            defaultMessage: '{count, plural, =0 {None will be skipped.} one {# will be skipped:} other {# will be skipped:}}',
          },
          { count: dryRun.skipped },
        )}
      </Typography>
      <SkipReasons
        counts={dryRun.skippedBy}
        label={formatMessage({ id: t('bulk.skippedList'), defaultMessage: 'Why accounts were skipped' })}
      />
    </Flex>
  );
};

const SendCodesModalBody = ({ userIds: selected, onClose }: Props) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  // The dialog acts on the selection it was opened with, even if the list behind it changes.
  const [userIds] = React.useState(selected);
  const [dryRun, setDryRun] = React.useState<DryRunResponse | null>(null);
  const [state, setState] = React.useState<{ sending: boolean; outcome?: SendOutcome; error?: string }>({ sending: false });
  const generic = formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' });

  React.useEffect(() => {
    api.dryRun(userIds).then(setDryRun, (error) => setState((current) => ({ ...current, error: errorMessage(error, generic) })));
  }, [api, userIds, generic]);

  const send = async () => {
    setState({ sending: true });
    try {
      setState({ sending: false, outcome: await api.sendCodes(userIds) });
    } catch (error) {
      setState({ sending: false, error: errorMessage(error, generic) });
    }
  };

  const { outcome } = state;
  // A job carries on once the dialog is closed; "Close" says so better than "Done" while it runs.
  const closeLabel = !outcome
    ? formatMessage({ id: t('action.cancel'), defaultMessage: 'Cancel' })
    : isJobStarted(outcome)
      ? formatMessage({ id: t('action.close'), defaultMessage: 'Close' })
      : formatMessage({ id: t('action.done'), defaultMessage: 'Done' });

  return (
    <>
      <Modal.Body>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {outcome ? (
            <SendOutcomeView outcome={outcome} />
          ) : (
            <>
              <Typography tag="p">
                {formatMessage(
                  {
                    id: t('bulk.confirm'),
                    defaultMessage:
                      'Generate activation codes for {count, plural, one {# account} other {# accounts}}? Each gets an email with a link to set a new password; their current password keeps working until they do.',
                  },
                  { count: userIds.length },
                )}
              </Typography>
              <DryRunSummary dryRun={dryRun} />
            </>
          )}
          {state.error ? (
            <Typography textColor="danger600" role="alert">
              {state.error}
            </Typography>
          ) : null}
        </Flex>
      </Modal.Body>
      <Modal.Footer>
        <Button variant="tertiary" onClick={onClose}>
          {closeLabel}
        </Button>
        {outcome ? null : (
          <Button onClick={send} loading={state.sending} disabled={dryRun?.willSend === 0}>
            {formatMessage({ id: t('bulk.generate'), defaultMessage: 'Generate codes' })}
          </Button>
        )}
      </Modal.Footer>
    </>
  );
};

export const SendCodesBulkAction: BulkActionComponent = ({ documents, model }) => {
  const { formatMessage } = useIntl();
  const { allowedActions } = useRBAC(PERMISSIONS);
  if (model !== USER_UID || !allowedActions.canSendCode) return null;
  const userIds = documents.map((document) => Number(document.id)).filter(Number.isInteger);
  return {
    label: formatMessage({ id: t('bulk.label'), defaultMessage: 'Send activation code' }),
    variant: 'secondary',
    dialog: {
      type: 'modal',
      title: formatMessage({ id: t('bulk.title'), defaultMessage: 'Send activation codes' }),
      content: ({ onClose }: { onClose: () => void }) => <SendCodesModalBody userIds={userIds} onClose={onClose} />,
    },
  };
};
