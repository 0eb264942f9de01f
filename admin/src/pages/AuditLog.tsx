// The audit log as a table, newest first, with filters (account, actor, action, date range), pages, and a CSV
// download of every row the filters select. Rows name the account (linked to the Content Manager) and the actor.
import * as React from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Box, Button, DatePicker, Field, Flex, Link, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { errorMessage, usePasswordResetApi, type AuditEvent, type AuditFilters, type AuditPage } from '../api';
import { getTranslation } from '../utils/getTranslation';
import { saveFile } from '../utils/saveFile';
import { SelectField } from '../components/SelectField';
import { USER_UID } from '../constants';

/** The characters of a detail's value the page shows. */
const DETAIL_SHOWN = 300;
import { ACTOR_TYPES, AUDIT_ACTIONS } from '../../../shared/contracts';

const t = getTranslation;
const PAGE_SIZE = 20;

const USER_EDIT_VIEW = `/content-manager/collection-types/${USER_UID}`;

/** The account a row is about: its address, linked to its page in the Content Manager, and its username. */
const AccountCell = ({ event }: { event: AuditEvent }) => {
  const { formatMessage } = useIntl();
  if (event.account) {
    const { documentId, email, username } = event.account;
    return (
      <Flex direction="column" alignItems="flex-start">
        <Link tag={RouterLink} to={`${USER_EDIT_VIEW}/${documentId}`}>
          {email ?? username ?? formatMessage({ id: t('result.account'), defaultMessage: 'Account {id}' }, { id: event.account.id })}
        </Link>
        {email && username ? (
          <Typography variant="pi" textColor="neutral600">
            {username}
          </Typography>
        ) : null}
      </Flex>
    );
  }
  if (event.targetUserId === null) return <Typography>—</Typography>;
  return (
    <Typography textColor="neutral600">
      {formatMessage({ id: t('audit.deletedAccount'), defaultMessage: 'Account {id} (deleted)' }, { id: event.targetUserId })}
    </Typography>
  );
};

export const AuditLog = ({ refreshKey }: { refreshKey: number }) => {
  const { formatMessage, formatDate } = useIntl();
  const api = usePasswordResetApi();
  const [filters, setFilters] = React.useState<AuditFilters>({});
  const [page, setPage] = React.useState(1);
  const [data, setData] = React.useState<AuditPage | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    api.audit(filters, page, PAGE_SIZE).then(
      (result) => {
        setData(result);
        setError(null);
      },
      (failure) => setError(errorMessage(failure, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' }))),
    );
  }, [api, formatMessage, filters, page, refreshKey]);

  /** A cleared filter's words: every value. */
  const any = formatMessage({ id: t('audit.filter.any'), defaultMessage: 'Any' });
  const setFilter = (name: keyof AuditFilters, value: string | undefined) => {
    setPage(1);
    setFilters((current) => ({ ...current, [name]: value || undefined }));
  };

  const [downloading, setDownloading] = React.useState(false);
  const downloadCsv = async () => {
    setDownloading(true);
    try {
      const { blob, filename } = await api.auditCsv(filters);
      saveFile(blob, filename);
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure, formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' })));
    } finally {
      setDownloading(false);
    }
  };

  // "Administrator: Ada Lovelace"; an actor without a name (deleted since, a visitor) by its id or IP.
  const describeActor = (event: AuditEvent) => {
    const type = formatMessage({ id: t(`actor.${event.actorType}`), defaultMessage: event.actorType });
    const who = event.actorName ?? (event.actorId ? `#${event.actorId}` : event.actorType === 'visitor' ? event.ip : null);
    return who ? formatMessage({ id: t('audit.actorNamed'), defaultMessage: '{type}: {name}' }, { type, name: who }) : type;
  };

  const shorten = (text: string) => (text.length > DETAIL_SHOWN ? `${text.slice(0, DETAIL_SHOWN)}…` : text);
  // "purpose: activation, reason: the account is blocked." in the admin's language; unknown keys and values as stored.
  const word = (id: string, fallback: string) => formatMessage({ id: t(id), defaultMessage: fallback });
  const describeValue = (key: string, value: unknown): string => {
    if (Array.isArray(value)) return value.map((item) => describeValue(key, item)).join(', ');
    if (typeof value === 'boolean') return word(value ? 'audit.yes' : 'audit.no', value ? 'yes' : 'no');
    // A changed template's text can be 100 KB: the page shows its start, the CSV export and the webhook all of it.
    if (typeof value === 'object' && value !== null) return shorten(JSON.stringify(value));
    const text = String(value);
    if (key === 'purpose') return word(`purpose.${text}`, text);
    if (key === 'reason') return word(`reason.${text}`, text);
    if (key === 'template') return word(`templates.name.${text}`, text);
    return text;
  };
  const describeDetails = (details: Record<string, unknown>) =>
    Object.entries(details)
      .map(([key, value]) =>
        formatMessage(
          { id: t('audit.detail'), defaultMessage: '{key}: {value}' },
          { key: word(`detail.${key}`, key), value: describeValue(key, value) },
        ),
      )
      .join(', ');

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
        <Flex gap={4} wrap="wrap" alignItems="flex-end">
          <Field.Root name="audit-user">
            <Field.Label>{formatMessage({ id: t('audit.filter.account'), defaultMessage: 'Account id' })}</Field.Label>
            <TextInput
              inputMode="numeric"
              value={filters.userId ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('userId', e.target.value.replace(/\D/g, ''))}
            />
          </Field.Root>
          <SelectField
            name="audit-actorType"
            label={formatMessage({ id: t('audit.filter.actor'), defaultMessage: 'Actor' })}
            value={filters.actorType}
            options={ACTOR_TYPES.map((type) => [type, formatMessage({ id: t(`actor.${type}`), defaultMessage: type })])}
            onChange={(value) => setFilter('actorType', value)}
            onClear={() => setFilter('actorType', undefined)}
            placeholder={any}
          />
          <SelectField
            name="audit-action"
            label={formatMessage({ id: t('audit.filter.action'), defaultMessage: 'Action' })}
            value={filters.action}
            options={AUDIT_ACTIONS.map((action) => [action, formatMessage({ id: t(`event.${action}`), defaultMessage: action })])}
            onChange={(value) => setFilter('action', value)}
            onClear={() => setFilter('action', undefined)}
            placeholder={any}
          />
          <Field.Root name="audit-from">
            <Field.Label>{formatMessage({ id: t('audit.filter.from'), defaultMessage: 'From' })}</Field.Label>
            <DatePicker
              value={filters.from ? new Date(filters.from) : undefined}
              onChange={(date) => setFilter('from', date ? new Date(date.setHours(0, 0, 0, 0)).toISOString() : undefined)}
              onClear={() => setFilter('from', undefined)}
              clearLabel={formatMessage({ id: t('audit.filter.clear'), defaultMessage: 'Clear' })}
            />
          </Field.Root>
          <Field.Root name="audit-to">
            <Field.Label>{formatMessage({ id: t('audit.filter.to'), defaultMessage: 'To' })}</Field.Label>
            <DatePicker
              value={filters.to ? new Date(filters.to) : undefined}
              onChange={(date) => setFilter('to', date ? new Date(date.setHours(23, 59, 59, 999)).toISOString() : undefined)}
              onClear={() => setFilter('to', undefined)}
              clearLabel={formatMessage({ id: t('audit.filter.clear'), defaultMessage: 'Clear' })}
            />
          </Field.Root>
          <Box marginLeft="auto">
            <Button variant="secondary" startIcon={<Download />} loading={downloading} onClick={downloadCsv}>
              {formatMessage({ id: t('audit.downloadCsv'), defaultMessage: 'Download CSV' })}
            </Button>
          </Box>
        </Flex>
      </Box>

      {error ? (
        <Typography textColor="danger600" role="alert">
          {error}
        </Typography>
      ) : null}

      <Table colCount={5} rowCount={(data?.results.length ?? 0) + 1}>
        <Thead>
          <Tr>
            {['when', 'event', 'account', 'actor', 'details'].map((column) => (
              <Th key={column}>
                <Typography variant="sigma">{formatMessage({ id: t(`audit.column.${column}`), defaultMessage: column })}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {data?.results.length === 0 ? (
            <Tr>
              <Td colSpan={5}>
                <Typography textColor="neutral600">
                  {formatMessage({ id: t('audit.empty'), defaultMessage: 'No events match these filters.' })}
                </Typography>
              </Td>
            </Tr>
          ) : null}
          {data?.results.map((event) => (
            <Tr key={event.id}>
              <Td>
                <Typography>{formatDate(event.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}</Typography>
              </Td>
              <Td>
                <Typography fontWeight="semiBold">
                  {formatMessage({ id: t(`event.${event.action}`), defaultMessage: event.action })}
                </Typography>
              </Td>
              <Td>
                <AccountCell event={event} />
              </Td>
              <Td>
                <Typography>{describeActor(event)}</Typography>
              </Td>
              <Td>
                <Typography variant="pi" textColor="neutral600" ellipsis>
                  {event.details ? describeDetails(event.details) : ''}
                </Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>

      <Flex justifyContent="space-between" alignItems="center">
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(
            { id: t('audit.pagination'), defaultMessage: 'Page {page} of {pageCount} · {total, plural, one {# event} other {# events}}' },
            { page, pageCount: Math.max(1, data?.pagination.pageCount ?? 1), total: data?.pagination.total ?? 0 },
          )}
        </Typography>
        <Flex gap={2}>
          <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {formatMessage({ id: t('audit.previous'), defaultMessage: 'Previous' })}
          </Button>
          <Button variant="tertiary" disabled={!data || page >= data.pagination.pageCount} onClick={() => setPage(page + 1)}>
            {formatMessage({ id: t('audit.next'), defaultMessage: 'Next' })}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
};
