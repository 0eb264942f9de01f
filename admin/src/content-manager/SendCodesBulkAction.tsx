// "Send activation code" in the Content Manager list of Users: a confirmation, then the per-account results.
import * as React from 'react';
import { Button, Flex, Modal, Typography } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import type { BulkActionComponent } from '@strapi/content-manager/strapi-admin';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type SendCodesResponse } from '../api';
import { PERMISSIONS, USER_UID } from '../constants';
import { getTranslation } from '../utils/getTranslation';
import { SendResults } from './SendResults';

interface Props {
  userIds: number[];
  onClose: () => void;
}

const SendCodesModalBody = ({ userIds, onClose }: Props) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  const [state, setState] = React.useState<{ sending: boolean; response?: SendCodesResponse; error?: string }>({ sending: false });

  const send = async () => {
    setState({ sending: true });
    try {
      setState({ sending: false, response: await api.sendCodes(userIds) });
    } catch (error) {
      setState({
        sending: false,
        error: errorMessage(error, formatMessage({ id: getTranslation('error.generic'), defaultMessage: 'Something went wrong.' })),
      });
    }
  };

  return (
    <>
      <Modal.Body>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {state.response ? (
            <SendResults response={state.response} />
          ) : (
            <Typography tag="p">
              {formatMessage(
                {
                  id: getTranslation('bulk.confirm'),
                  defaultMessage:
                    'Generate activation codes for {count, plural, one {# account} other {# accounts}}? Each gets an email with a link to set a new password; their current password keeps working until they do.',
                },
                { count: userIds.length },
              )}
            </Typography>
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
          {formatMessage({
            id: getTranslation(state.response ? 'action.done' : 'action.cancel'),
            defaultMessage: state.response ? 'Done' : 'Cancel',
          })}
        </Button>
        {state.response ? null : (
          <Button onClick={send} loading={state.sending}>
            {formatMessage({ id: getTranslation('bulk.generate'), defaultMessage: 'Generate codes' })}
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
    label: formatMessage({ id: getTranslation('bulk.label'), defaultMessage: 'Send activation code' }),
    variant: 'secondary',
    dialog: {
      type: 'modal',
      title: formatMessage({ id: getTranslation('bulk.title'), defaultMessage: 'Send activation codes' }),
      content: ({ onClose }: { onClose: () => void }) => <SendCodesModalBody userIds={userIds} onClose={onClose} />,
    },
  };
};
