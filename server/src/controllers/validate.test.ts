import { errors } from '@strapi/utils';
import { assertNoNulCharacter, assertStorableUserData } from './validate';

/** `depth` arrays, one inside the other, around `leaf`. */
const nested = (depth: number, leaf: unknown) => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('assertNoNulCharacter', () => {
  it('refuses a NUL character at any depth, naming where it is', () => {
    const attempt = () => assertNoNulCharacter({ data: { roles: ['ok', 'bad\u0000'] } });
    expect(attempt).toThrow(errors.ValidationError);
    expect(attempt).toThrow('"data.roles.1" must not contain the NUL character.');
  });

  it('names the field it was given for a bare string', () => {
    expect(() => assertNoNulCharacter('a\u0000b', 'email')).toThrow('"email" must not contain the NUL character.');
  });

  it('accepts values without one, including numbers, booleans and null', () => {
    expect(() => assertNoNulCharacter({ a: 'text', b: [1, true, null, { c: 'é\u0001' }] })).not.toThrow();
  });

  it('answers a body nested 100,000 levels deep without overflowing the stack', () => {
    expect(() => assertNoNulCharacter(nested(100000, 'x\u0000'))).toThrow(errors.ValidationError);
    expect(() => assertNoNulCharacter(nested(100000, 'x'))).not.toThrow();
  });
});

describe('assertStorableUserData', () => {
  it('refuses an address longer than 254 characters and accepts one of 254', () => {
    const at254 = `${'x'.repeat(241)}@example.test`;
    expect(at254).toHaveLength(254);
    expect(() => assertStorableUserData({ email: at254 })).not.toThrow();
    expect(() => assertStorableUserData({ email: `x${at254}` })).toThrow('"email" must be at most 254 characters long.');
  });
});
