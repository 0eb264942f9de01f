// A page with a form asks before its unsaved edits are lost: when the administrator leaves it inside the admin
// panel (a link, the menu, Back), closes or reloads the tab (the browser's own question), or does something on
// the page that would replace the form (`confirmDiscard`: another template, say).
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useBlocker } from 'react-router-dom';
import { ConfirmDialog } from './ConfirmDialog';
import { getTranslation } from '../utils/getTranslation';

/** `dialog` goes into the page; `confirmDiscard(then)` runs `then` at once when nothing is unsaved, else once confirmed. */
export function useUnsavedChanges(unsaved: boolean) {
  const { formatMessage } = useIntl();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      unsaved && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  const [pending, setPending] = React.useState<(() => void) | null>(null);

  React.useEffect(() => {
    if (!unsaved) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved]);

  const confirmDiscard = (then: () => void) => (unsaved ? setPending(() => then) : then());
  const open = blocker.state === 'blocked' || pending !== null;

  // The dialog closes after either button (`closed`): after "Discard changes", the navigation it let through must
  // not be reset.
  const discarded = React.useRef(false);
  const discard = () => {
    discarded.current = true;
    if (blocker.state === 'blocked') blocker.proceed();
    else pending?.();
    setPending(null);
  };
  const closed = () => {
    if (!discarded.current && blocker.state === 'blocked') blocker.reset();
    discarded.current = false;
    setPending(null);
  };

  const dialog = (
    <ConfirmDialog
      open={open}
      onOpenChange={(isOpen) => (isOpen ? undefined : closed())}
      title={formatMessage({ id: getTranslation('unsaved.title'), defaultMessage: 'Discard your changes?' })}
      body={formatMessage({
        id: getTranslation('unsaved.body'),
        defaultMessage: 'What you changed on this page is not saved yet. It will be lost.',
      })}
      confirmLabel={formatMessage({ id: getTranslation('unsaved.discard'), defaultMessage: 'Discard changes' })}
      onConfirm={discard}
      variant="danger-light"
    />
  );
  return { dialog, confirmDiscard };
}
