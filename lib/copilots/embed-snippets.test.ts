import { describe, expect, it } from 'vitest';
import { reactSnippet, scriptSnippet } from './embed-snippets';

describe('[HEADERS][SCHEMA]: the General tab’s embed snippets', () => {
  it('with a header schema, both snippets show exactly its headers, with placeholders', () => {
    for (const snippet of [scriptSnippet('https://copilot.example', 'cpt_1', ['User-Token', 'X-Tenant']), reactSnippet('https://copilot.example', 'cpt_1', ['User-Token', 'X-Tenant'])]) {
      expect(snippet).toContain("headers: { 'User-Token': '<…>', 'X-Tenant': '<…>' },");
      expect(snippet).not.toContain('Authorization');
    }
  });

  it('without one, they show an example header', () => {
    expect(scriptSnippet('https://copilot.example', 'cpt_1')).toContain("headers: { Authorization: 'Bearer ' + userJwt },");
    expect(reactSnippet('https://copilot.example', 'cpt_1', [])).toContain("headers: { Authorization: 'Bearer ' + userJwt },");
  });
});
