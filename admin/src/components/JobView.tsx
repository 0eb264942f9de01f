// A bulk send that runs as a job on the server: its progress while it runs, then its results — the counts, each
// account (failures first), the CSV, and a retry of the failures. The bulk action in the list of Users and the
// plugin's page both show it.
import * as React from 'react';
import { styled } from 'styled-components';
import { Badge, Box, Button, Flex, ProgressBar, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise, Download } from '@strapi/icons';
import { useIntl } from 'react-intl';
import {
  errorMessage,
  isJobStarted,
  usePasswordResetApi,
  type JobItem,
  type JobItemsPage,
  type JobSummary,
  type SendOutcome,
} from '../api';
import { SendResults } from '../content-manager/SendResults';
import { getTranslation } from '../utils/getTranslation';
import { saveFile } from '../utils/saveFile';
import { SkipReasons, useOutcomeText } from './Reasons';

const t = getTranslation;
/** How often a running job is asked how far it got. */
const POLL_MS = 1000;
const ITEMS_PAGE_SIZE = 20;

type Tone = 'primary' | 'success' | 'warning' | 'danger' | 'neutral';
const toneOf: Record<JobItem['status'] | JobSummary['state'], Tone> = {
  planning: 'primary',
  sending: 'primary',
  done: 'success',
  queued: 'primary',
  sent: 'success',
  skipped: 'neutral',
  failed: 'danger',
};

const ToneBadge = ({ tone, children }: { tone: Tone; children: React.ReactNode }) => (
  <Badge backgroundColor={tone === 'neutral' ? 'neutral150' : `${tone}100`} textColor={`${tone}700`}>
    {children}
  </Badge>
);

/** A job's state as a badge: checking accounts, sending, done. */
export const JobStateBadge = ({ job }: { job: JobSummary }) => {
  const { formatMessage } = useIntl();
  const tone = job.state === 'done' && job.counts.failed > 0 ? 'warning' : toneOf[job.state];
  return <ToneBadge tone={tone}>{formatMessage({ id: t(`job.state.${job.state}`), defaultMessage: job.state })}</ToneBadge>;
};

// The design system's bar is 10rem wide and drawn for dark overlays; in a dialog it should span the width and use
// the primary colour. It also does not pass `value` on to the element, so the ARIA values are given explicitly.
const WideProgressBar = styled(ProgressBar)`
  width: 100%;
  background-color: ${({ theme }) => theme.colors.neutral150};
  & > div {
    background-color: ${({ theme }) => theme.colors.primary600};
  }
`;

/** Accounts finished one way or the other; the rest are waiting, being checked, or being sent. */
const finishedOf = (job: JobSummary) => job.counts.sent + job.counts.skipped + job.counts.failed;

const CountTile = ({ label, value, tone }: { label: string; value: string; tone?: 'success600' | 'danger600' }) => (
  <Box background="neutral100" hasRadius paddingTop={3} paddingBottom={3} paddingLeft={4} paddingRight={4} minWidth="9rem">
    <Typography tag="dt" variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography tag="dd" variant="beta" textColor={tone ?? 'neutral800'}>
      {value}
    </Typography>
  </Box>
);

/** The four counts that add up to the job's total: waiting (queued), sent, skipped and failed. */
export const JobCounts = ({ job }: { job: JobSummary }) => {
  const { formatMessage, formatNumber } = useIntl();
  const { counts } = job;
  const label = (status: string, fallback: string) => formatMessage({ id: t(`result.${status}`), defaultMessage: fallback });
  return (
    <Flex
      tag="dl"
      gap={3}
      alignItems="center"
      wrap="wrap"
      aria-label={formatMessage({ id: t('job.counts'), defaultMessage: 'Accounts of job #{id}' }, { id: job.id })}
    >
      {/* Accounts not yet planned have no outbox row; they are waiting too. */}
      <CountTile label={label('queued', 'Queued')} value={formatNumber(Math.max(0, counts.total - finishedOf(job)))} />
      <CountTile label={label('sent', 'Sent')} value={formatNumber(counts.sent)} tone={counts.sent > 0 ? 'success600' : undefined} />
      <CountTile label={label('skipped', 'Skipped')} value={formatNumber(counts.skipped)} />
      <CountTile label={label('failed', 'Failed')} value={formatNumber(counts.failed)} tone={counts.failed > 0 ? 'danger600' : undefined} />
      <Box paddingLeft={2}>
        <Typography variant="pi" textColor="neutral600">
          {formatMessage({ id: t('job.total'), defaultMessage: 'of {total} accounts' }, { total: formatNumber(counts.total) })}
        </Typography>
      </Box>
    </Flex>
  );
};

/** A running job: how far it got, live. */
export const JobProgress = ({ job }: { job: JobSummary }) => {
  const { formatMessage, formatNumber } = useIntl();
  const finished = finishedOf(job);
  const percent = job.counts.total === 0 ? 100 : Math.floor((finished / job.counts.total) * 100);
  const progressText = formatMessage(
    { id: t('job.progressText'), defaultMessage: '{done} of {total} accounts handled' },
    { done: formatNumber(finished), total: formatNumber(job.counts.total) },
  );
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <WideProgressBar
          value={percent}
          aria-label={formatMessage({ id: t('job.progressLabel'), defaultMessage: 'Progress of job #{id}' }, { id: job.id })}
          aria-valuenow={percent}
          aria-valuetext={progressText}
        />
        <Typography variant="pi" textColor="neutral600">
          {progressText}
        </Typography>
      </Flex>
      <JobCounts job={job} />
      <Typography variant="pi" textColor="neutral600">
        {formatMessage({
          id: t('job.background'),
          defaultMessage: 'You can close this window: the job carries on on the server, and the Password reset page lists it.',
        })}
      </Typography>
    </Flex>
  );
};

/** A finished job: its counts, its accounts page by page (failures first), the CSV, and a retry of the failures. */
export const JobResults = ({ job, onRetried }: { job: JobSummary; onRetried: (outcome: SendOutcome) => void }) => {
  const { formatMessage, formatNumber } = useIntl();
  const api = usePasswordResetApi();
  const outcomeText = useOutcomeText();
  const [page, setPage] = React.useState(1);
  const [items, setItems] = React.useState<JobItemsPage | null>(null);
  const [busy, setBusy] = React.useState<'csv' | 'retry' | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const generic = formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' });

  React.useEffect(() => {
    api.jobItems(job.id, page, ITEMS_PAGE_SIZE).then(
      (result) => setItems(result),
      (failure) => setError(errorMessage(failure, generic)),
    );
  }, [api, job.id, page, generic]);

  const run = (kind: 'csv' | 'retry', action: () => Promise<void>) => async () => {
    setBusy(kind);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure, generic));
    } finally {
      setBusy(null);
    }
  };
  const downloadCsv = run('csv', async () => {
    const { blob, filename } = await api.jobCsv(job.id);
    saveFile(blob, filename);
  });
  const retryFailed = run('retry', async () => onRetried(await api.retryJob(job.id)));

  const pageCount = Math.max(1, items?.pagination.pageCount ?? 1);
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="omega" fontWeight="bold" role="status">
        {formatMessage(
          { id: t('bulk.summary'), defaultMessage: '{sent} sent, {skipped} skipped, {failed} failed.' },
          { sent: formatNumber(job.counts.sent), skipped: formatNumber(job.counts.skipped), failed: formatNumber(job.counts.failed) },
        )}
      </Typography>
      <JobCounts job={job} />
      <SkipReasons
        counts={job.counts.skippedBy}
        label={formatMessage({ id: t('bulk.skippedList'), defaultMessage: 'Why accounts were skipped' })}
      />
      <Flex gap={2}>
        <Button variant="secondary" startIcon={<Download />} loading={busy === 'csv'} onClick={downloadCsv}>
          {formatMessage({ id: t('job.downloadCsv'), defaultMessage: 'Download CSV' })}
        </Button>
        {job.counts.failed > 0 ? (
          <Button variant="default" startIcon={<ArrowClockwise />} loading={busy === 'retry'} onClick={retryFailed}>
            {formatMessage({ id: t('job.retryFailed'), defaultMessage: 'Retry failed' })}
          </Button>
        ) : null}
      </Flex>
      {error ? (
        <Typography textColor="danger600" role="alert">
          {error}
        </Typography>
      ) : null}

      <Table
        colCount={3}
        rowCount={(items?.results.length ?? 0) + 1}
        aria-label={formatMessage({ id: t('job.items'), defaultMessage: 'Accounts of job #{id}, failures first' }, { id: job.id })}
      >
        <Thead>
          <Tr>
            {/* Fixed shares, so that the columns stay put from one page to the next. */}
            {[
              ['account', 'Account', '40%'],
              ['status', 'Status', '15%'],
              ['reason', 'Reason', '45%'],
            ].map(([column, fallback, width]) => (
              <Th key={column} style={{ width }}>
                <Typography variant="sigma">{formatMessage({ id: t(`job.column.${column}`), defaultMessage: fallback })}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {items?.results.map((item) => (
            <Tr key={item.userId}>
              <Td>
                <Typography>
                  {item.email ?? formatMessage({ id: t('result.account'), defaultMessage: 'Account {id}' }, { id: item.userId })}
                </Typography>
              </Td>
              <Td>
                <ToneBadge tone={toneOf[item.status]}>
                  {formatMessage({ id: t(`result.${item.status}`), defaultMessage: item.status })}
                </ToneBadge>
              </Td>
              <Td>
                {/* The table does not wrap its cells; a mail server's refusal is long and worth reading whole. */}
                <Typography variant="pi" textColor="neutral600" style={{ whiteSpace: 'normal' }}>
                  {outcomeText(item)}
                </Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      <Flex justifyContent="space-between" alignItems="center">
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(
            { id: t('job.pagination'), defaultMessage: 'Page {page} of {pageCount} · {total} accounts' },
            { page, pageCount, total: formatNumber(items?.pagination.total ?? 0) },
          )}
        </Typography>
        <Flex gap={2}>
          <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {formatMessage({ id: t('audit.previous'), defaultMessage: 'Previous' })}
          </Button>
          <Button variant="tertiary" disabled={page >= pageCount} onClick={() => setPage(page + 1)}>
            {formatMessage({ id: t('audit.next'), defaultMessage: 'Next' })}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
};

/** One job, asked for its counts every second until it is done; then its results. */
export const JobView = ({ job: started, onRetried }: { job: JobSummary; onRetried: (outcome: SendOutcome) => void }) => {
  const { formatMessage } = useIntl();
  const api = usePasswordResetApi();
  const [job, setJob] = React.useState(started);
  const [failedPolls, setFailedPolls] = React.useState(0);
  const [error, setError] = React.useState<string | null>(null);
  const generic = formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' });

  // One request at a time: the next waits for the previous answer (or failure) and a second more.
  React.useEffect(() => {
    if (job.state === 'done') return undefined;
    const timer = window.setTimeout(() => {
      api.job(job.id).then(
        (next) => {
          setJob(next);
          setError(null);
        },
        (failure) => {
          setError(errorMessage(failure, generic));
          setFailedPolls((count) => count + 1);
        },
      );
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [api, job, failedPolls, generic]);

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={3} alignItems="center">
        <Typography variant="delta" tag="h3">
          {formatMessage({ id: t('job.title'), defaultMessage: 'Job #{id}' }, { id: job.id })}
        </Typography>
        <Box aria-live="polite">
          <JobStateBadge job={job} />
        </Box>
      </Flex>
      {job.state === 'done' ? <JobResults job={job} onRetried={onRetried} /> : <JobProgress job={job} />}
      {error ? (
        <Typography textColor="danger600" role="alert">
          {error}
        </Typography>
      ) : null}
    </Flex>
  );
};

/** What a send answered — its results, or the job sending them — and, after "Retry failed", what the retry answered. */
export const SendOutcomeView = ({ outcome: first }: { outcome: SendOutcome }) => {
  const { formatMessage } = useIntl();
  const [shown, setShown] = React.useState<{ outcome: SendOutcome; retryOf?: number }>({ outcome: first });
  const { outcome, retryOf } = shown;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {retryOf !== undefined ? (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage({ id: t('job.retryOf'), defaultMessage: 'Sent again to the accounts that failed in job #{id}.' }, { id: retryOf })}
        </Typography>
      ) : null}
      {isJobStarted(outcome) ? (
        <JobView key={outcome.job.id} job={outcome.job} onRetried={(next) => setShown({ outcome: next, retryOf: outcome.job.id })} />
      ) : (
        <SendResults response={outcome} />
      )}
    </Flex>
  );
};
