import type { Role } from '../../../src/domain/reference-data.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { csrfFrom, signIn, type Agent } from '../../helpers/http.js';

export interface SignedIn extends TestApp {
  agent: Agent;
}

/** A fresh app and an agent signed in with the given role. */
export async function signedIn(role: Role = 'admin', options: { language?: 'sw' | 'en' } = {}): Promise<SignedIn> {
  const testApp = buildTestApp();
  const agent = await signIn(testApp.app, await createUser({ role, language: options.language }));
  return { ...testApp, agent };
}

/** The CSRF token from a page the agent can open. */
export async function tokenFrom(agent: Agent, url: string): Promise<string> {
  const res = await agent.get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return csrfFrom(res.text);
}

/** Posts a urlencoded form with the token read from `formUrl` (arrays become repeated fields). */
export async function submit(agent: Agent, url: string, fields: Record<string, unknown>, formUrl: string, lang?: 'sw' | 'en') {
  const token = await tokenFrom(agent, formUrl);
  const req = agent.post(lang ? `${url}?lang=${lang}` : url).type('form');
  return req.send({ ...fields, _csrf: token });
}

/** Unescapes the few HTML entities Handlebars produces, for text assertions. */
export function text(html: string): string {
  return html
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
