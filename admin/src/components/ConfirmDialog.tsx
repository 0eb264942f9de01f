// A question before an action that sends or deletes: a title, what will happen, Cancel and the action's button.
import * as React from 'react';
import { Button, Dialog, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  variant?: 'default' | 'danger-light';
}

export const ConfirmDialog = ({ open, onOpenChange, title, body, confirmLabel, onConfirm, variant = 'default' }: ConfirmDialogProps) => {
  const { formatMessage } = useIntl();
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body>
          <Typography>{body}</Typography>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary">{formatMessage({ id: getTranslation('action.cancel'), defaultMessage: 'Cancel' })}</Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button variant={variant} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
