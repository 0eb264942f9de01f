// The plugin's page in the main menu: delivery health, recent bulk-send jobs, the PIN check, the audit log and the
// plugin's events on Strapi's webhooks, each for the admins whose permissions reach it.
import * as React from 'react';
import { Flex } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { PERMISSIONS } from '../constants';
import { getTranslation } from '../utils/getTranslation';
import { AuditLog } from './AuditLog';
import { DeliveryHealth } from './DeliveryHealth';
import { PinCheck } from './PinCheck';
import { RecentJobs } from './RecentJobs';
import { WebhookEvents } from './WebhookEvents';

const App = () => {
  const { formatMessage } = useIntl();
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS);
  // A PIN check writes an audit row; reload the table after one.
  const [refreshKey, setRefreshKey] = React.useState(0);
  const title = formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Password reset' });

  if (isLoading) return <Page.Loading />;
  if (!allowedActions.canReadAudit && !allowedActions.canVerifyPin && !allowedActions.canSendCode) return <Page.NoPermissions />;

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        // The subtitle describes the audit log, which not every admin who reaches this page may read.
        subtitle={
          allowedActions.canReadAudit
            ? formatMessage({
                id: getTranslation('page.subtitle'),
                defaultMessage:
                  'Every code issued, used, expired or revoked, every password set by an administrator or a token, and every refusal.',
              })
            : undefined
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {allowedActions.canReadAudit ? <DeliveryHealth /> : null}
          {allowedActions.canSendCode ? <RecentJobs readsAll={Boolean(allowedActions.canReadAllJobs)} /> : null}
          {allowedActions.canVerifyPin ? <PinCheck onChecked={() => setRefreshKey((key) => key + 1)} /> : null}
          {allowedActions.canReadAudit ? <AuditLog refreshKey={refreshKey} /> : null}
          {allowedActions.canRead ? <WebhookEvents canUpdate={allowedActions.canUpdate} /> : null}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export default App;
