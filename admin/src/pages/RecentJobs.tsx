// The plugin page's list of bulk sends that ran as jobs, newest first; each opens to its progress or results.
import * as React from 'react';
import { Button, Flex, Modal, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type JobsPage, type JobSummary } from '../api';
import { JobStateBadge, SendOutcomeView } from '../components/JobView';
import { getTranslation } from '../utils/getTranslation';
import { Section } from '../components/Section';

const t = getTranslation;
const PAGE_SIZE = 10;
/** While a listed job runs, the list is asked again this often. */
const REFRESH_MS = 2000;

/** `readsAll`: the administrator holds "Read all jobs"; without it the server lists only the jobs they started. */
export const RecentJobs = ({ readsAll }: { readsAll: boolean }) => {
  const { formatMessage, formatDate, formatNumber } = useIntl();
  const api = usePasswordResetApi();
  const [page, setPage] = React.useState(1);
  const [data, setData] = React.useState<JobsPage | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [refreshKey, setRefreshKey] = React.useState(0);
  const [opened, setOpened] = React.useState<JobSummary | null>(null);
  const generic = formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' });

  React.useEffect(() => {
    api.jobs(page, PAGE_SIZE).then(
      (result) => {
        setData(result);
        setError(null);
      },
      (failure) => setError(errorMessage(failure, generic)),
    );
  }, [api, page, refreshKey, generic]);

  const running = data?.results.some((job) => job.state !== 'done') ?? false;
  React.useEffect(() => {
    if (!running) return undefined;
    const timer = window.setTimeout(() => setRefreshKey((key) => key + 1), REFRESH_MS);
    return () => window.clearTimeout(timer);
  }, [running, data]);

  const close = () => {
    setOpened(null);
    // A retry from the dialog starts a job this list does not show yet.
    setRefreshKey((key) => key + 1);
  };

  const describeCreator = (createdBy: string) => {
    const [type, ...id] = createdBy.split(':');
    return [formatMessage({ id: t(`actor.${type}`), defaultMessage: type }), id.length ? `#${id.join(':')}` : null]
      .filter(Boolean)
      .join(' ');
  };

  const columns: Array<[key: string, fallback: string]> = [
    ['job', 'Job'],
    ['created', 'Started'],
    ['by', 'By'],
    ['state', 'State'],
    ['total', 'Accounts'],
    ['sent', 'Sent'],
    ['skipped', 'Skipped'],
    ['failed', 'Failed'],
  ];

  return (
    <Section title={formatMessage({ id: t('jobs.title'), defaultMessage: 'Recent jobs' })}>
      {readsAll ? null : (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage({
            id: t('jobs.ownOnly'),
            defaultMessage: 'The jobs you started. Administrators holding “Read all jobs” see every job.',
          })}
        </Typography>
      )}
      {error ? (
        <Typography textColor="danger600" role="alert">
          {error}
        </Typography>
      ) : null}
      {data?.results.length === 0 ? (
        <Typography textColor="neutral600">
          {formatMessage({ id: t('jobs.empty'), defaultMessage: 'No bulk send has run as a job yet.' })}
        </Typography>
      ) : (
        <Table
          colCount={columns.length + 1}
          rowCount={(data?.results.length ?? 0) + 1}
          aria-label={formatMessage({ id: t('jobs.title'), defaultMessage: 'Recent jobs' })}
        >
          <Thead>
            <Tr>
              {columns.map(([column, fallback]) => (
                <Th key={column}>
                  <Typography variant="sigma">{formatMessage({ id: t(`jobs.column.${column}`), defaultMessage: fallback })}</Typography>
                </Th>
              ))}
              <Th>
                <Typography variant="sigma">{formatMessage({ id: t('jobs.column.actions'), defaultMessage: 'Actions' })}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {data?.results.map((job) => (
              <Tr key={job.id}>
                <Td>
                  <Typography fontWeight="semiBold">#{job.id}</Typography>
                </Td>
                <Td>
                  <Typography>{formatDate(job.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
                </Td>
                <Td>
                  <Typography>{describeCreator(job.createdBy)}</Typography>
                </Td>
                <Td>
                  <JobStateBadge job={job} />
                </Td>
                <Td>
                  <Typography>{formatNumber(job.counts.total)}</Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(job.counts.sent)}</Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(job.counts.skipped)}</Typography>
                </Td>
                <Td>
                  <Typography textColor={job.counts.failed > 0 ? 'danger600' : undefined}>{formatNumber(job.counts.failed)}</Typography>
                </Td>
                <Td>
                  <Button
                    variant="tertiary"
                    size="S"
                    onClick={() => setOpened(job)}
                    aria-label={formatMessage({ id: t('jobs.openLabel'), defaultMessage: 'Open job #{id}' }, { id: job.id })}
                  >
                    {formatMessage({ id: t('jobs.open'), defaultMessage: 'Open' })}
                  </Button>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {data && data.pagination.pageCount > 1 ? (
        <Flex justifyContent="space-between" alignItems="center">
          <Typography variant="pi" textColor="neutral600">
            {formatMessage(
              { id: t('jobs.pagination'), defaultMessage: 'Page {page} of {pageCount} · {total} jobs' },
              { page, pageCount: data.pagination.pageCount, total: data.pagination.total },
            )}
          </Typography>
          <Flex gap={2}>
            <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {formatMessage({ id: t('audit.previous'), defaultMessage: 'Previous' })}
            </Button>
            <Button variant="tertiary" disabled={page >= data.pagination.pageCount} onClick={() => setPage(page + 1)}>
              {formatMessage({ id: t('audit.next'), defaultMessage: 'Next' })}
            </Button>
          </Flex>
        </Flex>
      ) : null}

      <Modal.Root open={opened !== null} onOpenChange={(open) => (open ? undefined : close())}>
        <Modal.Content>
          <Modal.Header>
            <Modal.Title>{formatMessage({ id: t('jobs.dialogTitle'), defaultMessage: 'Activation codes sent in bulk' })}</Modal.Title>
          </Modal.Header>
          <Modal.Body>{opened ? <SendOutcomeView outcome={{ job: opened }} /> : null}</Modal.Body>
          <Modal.Footer>
            <Button variant="tertiary" onClick={close}>
              {formatMessage({ id: t('action.close'), defaultMessage: 'Close' })}
            </Button>
          </Modal.Footer>
        </Modal.Content>
      </Modal.Root>
    </Section>
  );
};
