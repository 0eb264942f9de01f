// Choosing a language: the account's field, then Accept-Language, then the default.
import { acceptedLanguages, chooseLocale, localeOfRequest, matchLocale } from './locale';

const SHIPPED = ['en', 'fr'] as const;

describe('languages', () => {
  it('reads Accept-Language best first, dropping q=0, wildcards and garbage', () => {
    expect(acceptedLanguages('de-CH, fr;q=0.8, en;q=0.9, *;q=0.1, es;q=0')).toEqual(['de-ch', 'en', 'fr']);
    expect(acceptedLanguages('')).toEqual([]);
    expect(acceptedLanguages('<script>, fr')).toEqual(['fr']);
  });

  it('matches a region to its language, and nothing else', () => {
    expect(matchLocale('fr-CA', SHIPPED)).toBe('fr');
    expect(matchLocale('FR', SHIPPED)).toBe('fr');
    expect(matchLocale('fr_FR', SHIPPED)).toBe('fr');
    expect(matchLocale('de', SHIPPED)).toBeNull();
    expect(matchLocale(42, SHIPPED)).toBeNull();
  });

  it('takes the account first, then the request, then the default', () => {
    expect(chooseLocale(['fr', 'en'], SHIPPED, 'en')).toBe('fr');
    expect(chooseLocale([null, localeOfRequest('de, fr;q=0.5', SHIPPED)], SHIPPED, 'en')).toBe('fr');
    expect(chooseLocale(['de', undefined], SHIPPED, 'en')).toBe('en');
  });
});
