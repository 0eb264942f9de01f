// A labelled select over a fixed list of options, each `[value, label]`. With `onClear` it can be emptied (a
// filter's "any"); without, one option is always chosen.
import * as React from 'react';
import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';

interface SelectFieldProps {
  name: string;
  label: string;
  value: string | undefined;
  options: Array<[value: string, label: string]>;
  onChange: (value: string) => void;
  onClear?: () => void;
  placeholder?: string;
}

export const SelectField = ({ name, label, value, options, onChange, onClear, placeholder }: SelectFieldProps) => (
  <Field.Root name={name} id={name}>
    <Field.Label>{label}</Field.Label>
    <SingleSelect
      value={value ?? ''}
      onChange={(selected: string | number) => onChange(String(selected))}
      onClear={onClear}
      placeholder={placeholder}
    >
      {options.map(([optionValue, optionLabel]) => (
        <SingleSelectOption key={optionValue} value={optionValue}>
          {optionLabel}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  </Field.Root>
);
