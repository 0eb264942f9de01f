// Settings → Password reset emails: an administrator holding "Manage settings" rewords each email the plugin sends, per
// language, with a live preview written with sample values; the server checks every save (and every test) with the
// same rule the preview reports, so what this page shows as a problem is exactly what a save would refuse.
import * as React from 'react';
import { Badge, Box, Button, Field, Flex, Grid, Loader, Textarea, TextInput, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check, Mail } from '@strapi/icons';
import { Layouts, Page, useAuth, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import {
  errorAnswer,
  errorMessage,
  templateProblemsOf,
  usePasswordResetApi,
  type EmailTemplate,
  type TemplateEntry,
  type TemplateName,
  type TemplatePart,
  type TemplatePreview,
  type TemplateProblem,
  type TemplatesCatalog,
} from '../api';
import { PERMISSIONS } from '../constants';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { SelectField } from '../components/SelectField';
import { useUnsavedChanges } from '../components/UnsavedChanges';
import { getTranslation } from '../utils/getTranslation';
import { TEMPLATE_MAX_LENGTH, TEMPLATE_PARTS, TEMPLATE_PROBLEMS, TEST_SEND_LIMIT } from '../../../shared/contracts';

const t = getTranslation;

/** How long typing must pause before the preview is asked for again. */
const PREVIEW_DELAY_MS = 300;

const MONOSPACE = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '1.3rem' };

/** A language in its own words ("English", "Français"), as a language picker names them. */
const languageName = (code: string) => {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch {
    return code;
  }
};

/** Server text used as a message of its own: ICU would read its `{{…}}` as arguments. */
const literal = (text: string) => text.replace(/'/g, "''").replace(/[{}]+/g, (braces) => `'${braces}'`);

const sameTemplate = (a: EmailTemplate, b: EmailTemplate) => TEMPLATE_PARTS.every((part) => a[part] === b[part]);

type Selection = { name: TemplateName; locale: string };
type Busy = 'save' | 'test' | 'reset' | null;
/** Where the cursor was in a field when it lost focus, for inserting a variable there. */
type Caret = { part: TemplatePart; element: HTMLInputElement | HTMLTextAreaElement; start: number; end: number };

const TemplatesPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const api = usePasswordResetApi();
  const [catalog, setCatalog] = React.useState<TemplatesCatalog | null>(null);
  const [selection, setSelection] = React.useState<Selection | null>(null);
  const [entry, setEntry] = React.useState<TemplateEntry | null>(null);
  const [form, setForm] = React.useState<EmailTemplate | null>(null);
  const [preview, setPreview] = React.useState<TemplatePreview | null>(null);
  const [previewError, setPreviewError] = React.useState<string | null>(null);
  const [problems, setProblems] = React.useState<TemplateProblem[]>([]);
  const [busy, setBusy] = React.useState<Busy>(null);
  const [confirmReset, setConfirmReset] = React.useState(false);
  // The address a test goes to: the signed-in administrator's, as the admin panel knows it, or the one the server
  // said the profile holds now (a 409). The confirmation names it, and the request carries it.
  const signedInAddress = useAuth('TemplatesPage', (auth) => auth.user?.email ?? null);
  const [testAddress, setTestAddress] = React.useState<string | null>(null);
  const address = testAddress ?? signedInAddress;
  const [confirmTest, setConfirmTest] = React.useState(false);
  const caret = React.useRef<Caret | null>(null);
  const previewRequest = React.useRef(0);

  const generic = formatMessage({ id: t('error.generic'), defaultMessage: 'Something went wrong.' });
  const fail = React.useCallback(
    (error: unknown) => toggleNotification({ type: 'danger', message: errorMessage(error, generic) }),
    [toggleNotification, generic],
  );

  React.useEffect(() => {
    api.templates().then((answer) => {
      setCatalog(answer);
      setSelection({ name: answer.names[0], locale: answer.defaultLocale });
    }, fail);
  }, [api, fail]);

  React.useEffect(() => {
    if (!selection) return;
    let current = true;
    api.template(selection.locale, selection.name).then((answer) => {
      if (!current) return;
      setEntry(answer);
      setForm(answer.template);
    }, fail);
    return () => {
      current = false;
    };
  }, [api, fail, selection]);

  // The live preview: asked for once typing pauses; an answer to an older request than the last is dropped.
  React.useEffect(() => {
    if (!selection || !form) return;
    const request = ++previewRequest.current;
    const timer = setTimeout(() => {
      api.previewTemplate(selection.locale, selection.name, form).then(
        (answer) => {
          if (request !== previewRequest.current) return;
          setPreview(answer);
          setProblems(answer.problems);
          setPreviewError(null);
        },
        (error: unknown) => {
          if (request === previewRequest.current) setPreviewError(errorMessage(error, generic));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [api, generic, selection, form]);

  const dirty = Boolean(entry && form && !sameTemplate(entry.template, form));
  const unsaved = useUnsavedChanges(dirty);

  /** Another email or language: the form is replaced, so unsaved edits are given up only once confirmed. */
  const choose = (next: Selection) => {
    if (selection && next.name === selection.name && next.locale === selection.locale) return;
    unsaved.confirmDiscard(() => {
      setSelection(next);
      setEntry(null);
      setForm(null);
      setPreview(null);
      setProblems([]);
      caret.current = null;
    });
  };

  /** After a save or a reset: the server's answer becomes what the form holds. */
  const loaded = (answer: TemplateEntry) => {
    setEntry(answer);
    setForm(answer.template);
  };

  const refused = (error: unknown, message: string) => {
    const reasons = templateProblemsOf(error);
    if (reasons.length === 0) return fail(error);
    setProblems(reasons);
    toggleNotification({ type: 'danger', message });
  };

  const save = async (event?: React.FormEvent) => {
    event?.preventDefault();
    if (!selection || !form) return;
    setBusy('save');
    try {
      loaded(await api.saveTemplate(selection.locale, selection.name, form));
      toggleNotification({ type: 'success', message: formatMessage({ id: t('templates.saved'), defaultMessage: 'Template saved.' }) });
    } catch (error) {
      refused(error, formatMessage({ id: t('templates.refused'), defaultMessage: 'Not saved: fix the problems shown under the fields.' }));
    } finally {
      setBusy(null);
    }
  };

  const sendTest = async () => {
    setConfirmTest(false);
    if (!selection || !form || !address) return;
    setBusy('test');
    try {
      const { to } = await api.testTemplate(selection.locale, selection.name, { ...form, to: address });
      toggleNotification({
        type: 'success',
        message: formatMessage({ id: t('templates.testSent'), defaultMessage: 'Test email sent to {to}.' }, { to }),
      });
    } catch (error) {
      const { status, details } = errorAnswer(error);
      if (status === 409 && typeof details.current === 'string') {
        // The profile's address changed since this page loaded: the next confirmation names the new one.
        setTestAddress(details.current);
        toggleNotification({
          type: 'warning',
          message: formatMessage(
            {
              id: t('templates.testAddressChanged'),
              defaultMessage: 'Not sent: your email address is now {address}. Send the test again to use it.',
            },
            { address: details.current },
          ),
        });
        return;
      }
      if (status === 429) {
        const minutes = Math.max(1, Math.ceil(Number(details.retryAfterSeconds ?? 0) / 60));
        toggleNotification({
          type: 'warning',
          message: formatMessage(
            {
              id: t('templates.testLimited'),
              defaultMessage:
                'Not sent: you can send {limit} test emails an hour. Try again in {minutes, plural, one {# minute} other {# minutes}}.',
            },
            { limit: TEST_SEND_LIMIT.points, minutes },
          ),
        });
        return;
      }
      refused(
        error,
        formatMessage({ id: t('templates.testRefused'), defaultMessage: 'Not sent: fix the problems shown under the fields.' }),
      );
    } finally {
      setBusy(null);
    }
  };

  const reset = async () => {
    if (!selection) return;
    setConfirmReset(false);
    setBusy('reset');
    try {
      loaded(await api.resetTemplate(selection.locale, selection.name));
      toggleNotification({
        type: 'success',
        message: formatMessage({ id: t('templates.resetDone'), defaultMessage: 'Default wording restored.' }),
      });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const setPart = (part: TemplatePart, value: string) => setForm((current) => (current ? { ...current, [part]: value } : current));

  const remember = (part: TemplatePart) => (event: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const element = event.currentTarget;
    caret.current = {
      part,
      element,
      start: element.selectionStart ?? element.value.length,
      end: element.selectionEnd ?? element.value.length,
    };
  };

  /** Puts `{{name}}` where the cursor last was (at the end of the text version if no field was used yet), and goes back there. */
  const insert = (variable: string) => {
    if (!form) return;
    const placeholder = `{{${variable}}}`;
    const at = caret.current;
    const part = at?.part ?? 'text';
    const start = at?.start ?? form[part].length;
    setPart(part, form[part].slice(0, start) + placeholder + form[part].slice(at?.end ?? start));
    if (!at) return;
    const position = start + placeholder.length;
    caret.current = { ...at, start: position, end: position };
    requestAnimationFrame(() => {
      at.element.focus();
      at.element.setSelectionRange(position, position);
    });
  };

  const problemText = ({ code, detail }: TemplateProblem) =>
    code in TEMPLATE_PROBLEMS
      ? formatMessage(
          { id: t(`templates.problem.${code}`), defaultMessage: `${literal(TEMPLATE_PROBLEMS[code])}${detail ? ': {detail}' : ''}` },
          { detail: detail ?? '' },
        )
      : `${code}${detail ? `: ${detail}` : ''}`;
  const errorOf = (part: TemplatePart) => {
    const texts = problems.filter((problem) => problem.part === part).map(problemText);
    return texts.length > 0 ? texts.join(' ') : undefined;
  };

  if (!catalog || !selection) return <Page.Loading />;

  const nameLabel = (name: TemplateName) => formatMessage({ id: t(`templates.name.${name}`), defaultMessage: name });
  const partLabel = (part: TemplatePart) => formatMessage({ id: t(`templates.part.${part}`), defaultMessage: part });
  const title = formatMessage({ id: t('templates.title'), defaultMessage: 'Password reset emails' });
  const ready = Boolean(entry && form);

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <form onSubmit={save}>
        <Layouts.Header
          title={title}
          subtitle={formatMessage({
            id: t('templates.subtitle'),
            defaultMessage:
              'The words of each email the plugin sends, per language. A saved template takes the place of the default wording.',
          })}
          primaryAction={
            <Flex gap={2}>
              <Button
                type="button"
                variant="danger-light"
                startIcon={<ArrowClockwise />}
                disabled={!ready || busy !== null || !(entry?.customized || dirty)}
                loading={busy === 'reset'}
                onClick={() => setConfirmReset(true)}
              >
                {formatMessage({ id: t('templates.reset'), defaultMessage: 'Reset to default' })}
              </Button>
              <Button
                type="button"
                variant="secondary"
                startIcon={<Mail />}
                disabled={!ready || busy !== null || !address}
                loading={busy === 'test'}
                onClick={() => setConfirmTest(true)}
              >
                {formatMessage({ id: t('templates.test'), defaultMessage: 'Send a test to me' })}
              </Button>
              <Button type="submit" startIcon={<Check />} disabled={!ready || busy !== null} loading={busy === 'save'}>
                {formatMessage({ id: t('templates.save'), defaultMessage: 'Save' })}
              </Button>
            </Flex>
          }
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
              <Flex gap={4} alignItems="flex-end" wrap="wrap">
                <Box minWidth="32rem">
                  <SelectField
                    name="template-name"
                    label={formatMessage({ id: t('templates.email'), defaultMessage: 'Email' })}
                    value={selection.name}
                    options={catalog.names.map((name) => [name, nameLabel(name)])}
                    onChange={(value) => choose({ ...selection, name: value as TemplateName })}
                  />
                </Box>
                <Box minWidth="20rem">
                  <SelectField
                    name="template-locale"
                    label={formatMessage({ id: t('templates.language'), defaultMessage: 'Language' })}
                    value={selection.locale}
                    options={catalog.locales.map((code) => [code, languageName(code)])}
                    onChange={(value) => choose({ ...selection, locale: value })}
                  />
                </Box>
                {entry ? (
                  <Flex gap={2} paddingBottom={2}>
                    {entry.customized ? (
                      <Badge backgroundColor="primary100" textColor="primary700">
                        {formatMessage({ id: t('templates.customized'), defaultMessage: 'Customized' })}
                      </Badge>
                    ) : (
                      <Badge>{formatMessage({ id: t('templates.default'), defaultMessage: 'Default wording' })}</Badge>
                    )}
                    {dirty ? (
                      <Badge backgroundColor="warning100" textColor="warning700">
                        {formatMessage({ id: t('templates.unsaved'), defaultMessage: 'Unsaved changes' })}
                      </Badge>
                    ) : null}
                  </Flex>
                ) : null}
              </Flex>
            </Box>

            {entry && form ? (
              <Grid.Root gap={4}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} width="100%">
                    <Flex direction="column" alignItems="stretch" gap={5}>
                      {TEMPLATE_PARTS.map((part) => (
                        <Field.Root key={part} name={part} id={`template-${part}`} error={errorOf(part)}>
                          <Field.Label>{partLabel(part)}</Field.Label>
                          {part === 'subject' ? (
                            <TextInput
                              value={form.subject}
                              maxLength={TEMPLATE_MAX_LENGTH.subject}
                              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPart('subject', e.target.value)}
                              onBlur={remember('subject')}
                            />
                          ) : (
                            <Textarea
                              value={form[part]}
                              rows={part === 'html' ? 14 : 10}
                              style={part === 'html' ? MONOSPACE : undefined}
                              spellCheck={part === 'text'}
                              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setPart(part, e.target.value)}
                              onBlur={remember(part)}
                            />
                          )}
                          <Field.Error />
                        </Field.Root>
                      ))}
                      <Flex direction="column" alignItems="stretch" gap={2}>
                        <Typography variant="sigma" textColor="neutral600" tag="h2">
                          {formatMessage({ id: t('templates.variables'), defaultMessage: 'Variables' })}
                        </Typography>
                        <Flex gap={2} wrap="wrap" role="list">
                          {catalog.variables[selection.name].map((variable) => (
                            <Box key={variable} role="listitem">
                              <Button
                                type="button"
                                size="S"
                                variant="tertiary"
                                aria-label={formatMessage(
                                  { id: t('templates.variables.insert'), defaultMessage: 'Insert {variable}' },
                                  { variable: `{{${variable}}}` },
                                )}
                                onClick={() => insert(variable)}
                              >
                                <span style={MONOSPACE}>{`{{${variable}}}`}</span>
                              </Button>
                            </Box>
                          ))}
                        </Flex>
                        <Typography variant="pi" textColor="neutral600">
                          {formatMessage({
                            id: t('templates.variables.hint'),
                            defaultMessage: 'Click one to insert it where the cursor was. Every value is escaped in the HTML version.',
                          })}
                        </Typography>
                      </Flex>
                    </Flex>
                  </Box>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <TemplatePreviewPanel preview={preview} error={previewError} partLabel={partLabel} />
                </Grid.Item>
              </Grid.Root>
            ) : (
              <Flex justifyContent="center" padding={8}>
                <Loader>{formatMessage({ id: t('templates.loading'), defaultMessage: 'Loading the template' })}</Loader>
              </Flex>
            )}
          </Flex>
        </Layouts.Content>
      </form>

      <ConfirmDialog
        open={confirmReset}
        onOpenChange={setConfirmReset}
        title={formatMessage({ id: t('templates.reset.title'), defaultMessage: 'Go back to the default wording?' })}
        body={formatMessage(
          {
            id: t('templates.reset.body'),
            defaultMessage: 'The saved wording of “{email}” in {language} is deleted: the next emails use the default wording.',
          },
          { email: nameLabel(selection.name), language: languageName(selection.locale) },
        )}
        confirmLabel={formatMessage({ id: t('templates.reset.confirm'), defaultMessage: 'Reset to default' })}
        onConfirm={reset}
        variant="danger-light"
      />
      <ConfirmDialog
        open={confirmTest}
        onOpenChange={setConfirmTest}
        title={formatMessage({ id: t('templates.testConfirm.title'), defaultMessage: 'Send a test email?' })}
        body={formatMessage(
          {
            id: t('templates.testConfirm.body'),
            defaultMessage:
              'Send a test of this email to {address}? It is written with sample values; its link opens nothing. At most {limit} tests an hour.',
          },
          { address: address ?? '', limit: TEST_SEND_LIMIT.points },
        )}
        confirmLabel={formatMessage({ id: t('templates.testConfirm.confirm'), defaultMessage: 'Send the test' })}
        onConfirm={sendTest}
      />
      {unsaved.dialog}
    </Page.Main>
  );
};

interface PreviewPanelProps {
  preview: TemplatePreview | null;
  error: string | null;
  partLabel: (part: TemplatePart) => string;
}

/**
 * The email as the server writes it with sample values. The HTML goes in a sandboxed frame with no permission at
 * all, so nothing in it runs or reaches the admin panel, whatever was typed.
 */
const TemplatePreviewPanel = ({ preview, error, partLabel }: PreviewPanelProps) => {
  const { formatMessage } = useIntl();
  const heading = formatMessage({ id: t('templates.preview'), defaultMessage: 'Preview' });
  return (
    <Box tag="section" aria-label={heading} background="neutral0" hasRadius shadow="tableShadow" padding={6} width="100%">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="delta" tag="h2">
            {heading}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {formatMessage({
              id: t('templates.preview.hint'),
              defaultMessage: 'Written with sample values: ada.lovelace@example.com, username ada; account fields show as [name].',
            })}
          </Typography>
        </Flex>
        {error ? (
          <Typography textColor="danger600">
            {formatMessage({ id: t('templates.preview.failed'), defaultMessage: 'The preview could not be written: {error}' }, { error })}
          </Typography>
        ) : null}
        {preview ? (
          <>
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography variant="sigma" textColor="neutral600" tag="h3">
                {partLabel('subject')}
              </Typography>
              <Typography fontWeight="bold">{preview.subject}</Typography>
            </Flex>
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography variant="sigma" textColor="neutral600" tag="h3">
                {partLabel('html')}
              </Typography>
              <Box borderColor="neutral200" hasRadius overflow="hidden" background="neutral0">
                <iframe
                  sandbox=""
                  srcDoc={preview.html}
                  title={formatMessage({ id: t('templates.preview.html'), defaultMessage: 'HTML version of the preview' })}
                  style={{ display: 'block', width: '100%', height: '36rem', border: 0, background: '#fff' }}
                />
              </Box>
            </Flex>
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography variant="sigma" textColor="neutral600" tag="h3">
                {partLabel('text')}
              </Typography>
              <Box
                tag="pre"
                padding={3}
                background="neutral100"
                hasRadius
                style={{ ...MONOSPACE, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}
              >
                {preview.text}
              </Box>
            </Flex>
          </>
        ) : null}
      </Flex>
    </Box>
  );
};

export const ProtectedTemplatesPage = () => (
  <Page.Protect permissions={PERMISSIONS.manageSettings}>
    <TemplatesPage />
  </Page.Protect>
);

export default ProtectedTemplatesPage;
