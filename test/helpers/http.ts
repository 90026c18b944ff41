import type { Express } from 'express';
import request from 'supertest';
import type { UserDocument } from '../../src/features/accounts/user.model.js';
import type { CreatedUser } from './fixtures.js';

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token in a page (hidden field `_csrf`), or throws. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field in page');
  return match[1];
}

/** The session's CSRF token: read from /login (anonymous) or /account (signed in). */
export async function csrfToken(agent: Agent, pageUrl?: string): Promise<string> {
  if (pageUrl) return csrfFrom((await agent.get(pageUrl)).text);
  const login = await agent.get('/login');
  if (login.status === 200) return csrfFrom(login.text);
  return csrfFrom((await agent.get('/account')).text);
}

/**
 * Posts a urlencoded form with a valid CSRF token (taken from `formUrl` when given, else from
 * /login or /account). Returns the supertest response.
 */
export async function postForm(agent: Agent, url: string, fields: Record<string, unknown> = {}, formUrl?: string) {
  const token = await csrfToken(agent, formUrl);
  return agent.post(url).type('form').send({ ...fields, _csrf: token });
}

/**
 * Signs a user in and returns the agent carrying the session cookie.
 * Accepts the result of createUser() or a user document plus its password.
 */
export async function signIn(app: Express, who: CreatedUser | UserDocument, password?: string): Promise<Agent> {
  const user = 'user' in who && 'password' in who ? who.user : (who as UserDocument);
  const pass = password ?? ('password' in who && typeof who.password === 'string' && 'user' in who ? who.password : undefined);
  if (!pass) throw new Error('signIn: password needed');
  const agent = request.agent(app);
  const token = csrfFrom((await agent.get('/login')).text);
  const res = await agent.post('/login').type('form').send({ email: user.email, password: pass, _csrf: token });
  if (res.status !== 302) throw new Error(`signIn failed for ${user.email}: HTTP ${res.status}`);
  return agent;
}
