// Settings → Password reset: the options an administrator holding "Manage settings" may change, one field per
// entry of EDITABLE_SETTINGS (the list the server validates against); the rest stays in config/plugins.ts.
import * as React from 'react';
import { Box, Button, Field, Flex, NumberInput, Textarea, TextInput, Toggle, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { errorMessage } from '../api';
import { PERMISSIONS } from '../constants';
import { getTranslation } from '../utils/getTranslation';
import { useUnsavedChanges } from '../components/UnsavedChanges';
import {
  EDITABLE_SETTINGS,
  readableDuration,
  type EditableSettingKey,
  type NumberBounds,
  type SettingsValues,
} from '../../../shared/contracts';

const t = getTranslation;

type Answer = { values: SettingsValues; defaults: SettingsValues };

/** A field's text for URL lists: one URL a line. */
const linesOf = (value: unknown) => (Array.isArray(value) ? value.join('\n') : '');

const SettingsPage = () => {
  const { formatMessage, formatNumber } = useIntl();
  const { get, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [saved, setSaved] = React.useState<SettingsValues | null>(null);
  const [form, setForm] = React.useState<SettingsValues>({});
  const [fieldErrors, setFieldErrors] = React.useState<Record<string, string>>({});
  const [saving, setSaving] = React.useState(false);

  React.useEffect(() => {
    get<Answer>('/password-reset/settings').then(
      ({ data }) => {
        setSaved(data.values);
        setForm(data.values);
      },
      (error: unknown) => toggleNotification({ type: 'danger', message: errorMessage(error, 'Could not load the settings.') }),
    );
  }, [get, toggleNotification]);

  /** The settings whose field differs from what is stored: what a save sends. */
  const changes = saved
    ? Object.fromEntries(
        Object.entries(form).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(saved[key as EditableSettingKey])),
      )
    : {};
  const unsaved = useUnsavedChanges(Object.keys(changes).length > 0);

  const set = (key: EditableSettingKey, value: SettingsValues[EditableSettingKey]) => setForm((current) => ({ ...current, [key]: value }));

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!saved) return;
    setSaving(true);
    try {
      const { data } = await put<Answer>('/password-reset/settings', changes);
      setSaved(data.values);
      setForm(data.values);
      setFieldErrors({});
      toggleNotification({ type: 'success', message: formatMessage({ id: t('settings.saved'), defaultMessage: 'Settings saved.' }) });
    } catch (error) {
      const details = (error as { response?: { data?: { error?: { details?: { errors?: Array<{ path: string[]; message: string }> } } } } })
        .response?.data?.error?.details?.errors;
      setFieldErrors(Object.fromEntries((details ?? []).map((item) => [item.path[0], item.message])));
      toggleNotification({ type: 'danger', message: errorMessage(error, 'Could not save the settings.') });
    } finally {
      setSaving(false);
    }
  };

  if (!saved) return <Page.Loading />;
  const label = (key: string) => formatMessage({ id: t(`settings.${key}`), defaultMessage: key });
  /** The range the server accepts (the bounds in shared/contracts/settings.ts), as the administrator says it. */
  const range = ({ min, max, unit }: NumberBounds) => {
    if (unit === 'character') {
      return formatMessage({ id: t('settings.range.characters'), defaultMessage: 'From {min} to {max} characters.' }, { min, max });
    }
    const duration = (hours: number) => {
      const { value, unit: readable } = readableDuration(hours);
      return formatNumber(value, { style: 'unit', unit: readable, unitDisplay: 'long' });
    };
    return formatMessage({ id: t('settings.range'), defaultMessage: 'From {min} to {max}.' }, { min: duration(min), max: duration(max) });
  };

  return (
    <Page.Main>
      <Page.Title>{formatMessage({ id: t('settings.title'), defaultMessage: 'Password reset' })}</Page.Title>
      <form onSubmit={save}>
        <Layouts.Header
          title={formatMessage({ id: t('settings.title'), defaultMessage: 'Password reset' })}
          subtitle={formatMessage({
            id: t('settings.subtitle'),
            defaultMessage: 'Options saved here take the place of those in config/plugins.ts.',
          })}
          primaryAction={
            <Button type="submit" startIcon={<Check />} loading={saving}>
              {formatMessage({ id: t('settings.save'), defaultMessage: 'Save' })}
            </Button>
          }
        />
        <Layouts.Content>
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <Flex direction="column" alignItems="stretch" gap={5}>
              {EDITABLE_SETTINGS.map((setting) => {
                const { key, type } = setting;
                const bounds = setting.type === 'number' ? setting.bounds : undefined;
                return (
                  <Field.Root key={key} name={key} id={`setting-${key}`} error={fieldErrors[key]} hint={bounds && range(bounds)}>
                    <Field.Label>{label(key)}</Field.Label>
                    {type === 'boolean' ? (
                      <Toggle
                        checked={Boolean(form[key])}
                        onLabel={formatMessage({ id: t('settings.on'), defaultMessage: 'On' })}
                        offLabel={formatMessage({ id: t('settings.off'), defaultMessage: 'Off' })}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(key, e.target.checked)}
                      />
                    ) : type === 'number' ? (
                      <NumberInput
                        value={form[key] as number}
                        min={bounds?.min}
                        max={bounds?.max}
                        step={bounds?.step}
                        onValueChange={(value: number | undefined) => set(key, value ?? null)}
                      />
                    ) : type === 'urlList' ? (
                      <Textarea
                        value={linesOf(form[key])}
                        onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) =>
                          set(
                            key,
                            e.target.value
                              .split('\n')
                              .map((line) => line.trim())
                              .filter(Boolean),
                          )
                        }
                      />
                    ) : (
                      <TextInput
                        value={(form[key] as string | null) ?? ''}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(key, e.target.value.trim() || null)}
                      />
                    )}
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                );
              })}
              <Typography variant="pi" textColor="neutral600">
                {formatMessage({
                  id: t('settings.refresh'),
                  defaultMessage: 'Other Strapi instances apply a change within 30 seconds.',
                })}
              </Typography>
            </Flex>
          </Box>
        </Layouts.Content>
      </form>
      {unsaved.dialog}
    </Page.Main>
  );
};

export const ProtectedSettingsPage = () => (
  <Page.Protect permissions={PERMISSIONS.manageSettings}>
    <SettingsPage />
  </Page.Protect>
);

export default ProtectedSettingsPage;
