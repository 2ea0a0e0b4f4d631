/**
 * The three downstream apps the lab stands up behind Okta's Universal Logout, and what differs between
 * them: name, public origin, the OIDC client id Okta knows them by, the session cookie's name, and whether
 * their logout is full or partial. Okta lists Salesforce and Google Workspace as full Universal Logout
 * apps and Microsoft 365 as partial (refresh tokens only) on its "Universal Logout" help page; the lab
 * gives all three the same Global Token Revocation endpoint so one sender (mock Okta) reaches them all.
 */

import { isLabApp, LAB_APPS, type LabApp } from '../../harness/records/index.ts';

export const APP_KINDS = LAB_APPS;
export type AppKind = LabApp;
export const isAppKind = isLabApp;

export interface AppProfile {
  readonly kind: AppKind;
  /** Human name for timelines. */
  readonly label: string;
  /** Default public origin (fake https host the lab's msw routes to this app). */
  readonly origin: string;
  /** Default OIDC client id (Okta-shaped: 20 characters, `0oa` prefix). */
  readonly clientId: string;
  /** Name of the app's session cookie (flavour only; any name would do). */
  readonly cookieName: string;
  /** Whether Universal Logout is partial by default (refresh tokens only). */
  readonly partial: boolean;
}

/** An Okta-looking app id: `0oa` + the name, zero-padded to Okta's 20 characters. */
function labClientId(name: string): string {
  return `0oa${name}`.padEnd(20, '0').slice(0, 20);
}

export const APP_PROFILES: Readonly<Record<AppKind, AppProfile>> = {
  salesforce: {
    kind: 'salesforce',
    label: 'Salesforce',
    origin: 'https://acme.my.salesforce.lab',
    clientId: labClientId('salesforce'),
    cookieName: 'sid',
    partial: false,
  },
  'google-workspace': {
    kind: 'google-workspace',
    label: 'Google Workspace',
    origin: 'https://workspace.google.lab',
    clientId: labClientId('googleworkspace'),
    cookieName: 'SID',
    partial: false,
  },
  office365: {
    kind: 'office365',
    label: 'Microsoft Office 365',
    origin: 'https://outlook.office365.lab',
    clientId: labClientId('office365'),
    cookieName: 'ESTSAUTH',
    partial: true,
  },
};

/** Where every app serves its Global Token Revocation endpoint unless `gtrPath` says otherwise. */
export const DEFAULT_GTR_PATH = '/oauth/global-token-revocation';

/** Credential lifetimes (seconds). Lab choices, the same for every kind; not the vendors' values. */
export interface Lifetimes {
  readonly accessTokenSeconds: number;
  readonly sessionSeconds: number;
  readonly refreshTokenSeconds: number;
}

export const DEFAULT_LIFETIMES: Lifetimes = {
  accessTokenSeconds: 3600,
  sessionSeconds: 8 * 3600,
  refreshTokenSeconds: 90 * 86_400,
};
