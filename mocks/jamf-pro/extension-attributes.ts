/**
 * Extension attribute (EA) definitions and the rules for their values. An EA is how anything outside Jamf
 * Pro tags a device (Jamf Security Cloud's "UEM tags" are EAs), and smart groups select devices by EA
 * name, so definitions live in one registry per device kind and every value written through any API goes
 * through `normalizeValues`: integers must be integers, dates dates, popup values one of the choices.
 *
 * The Pro API endpoints for definitions (`/api/v1/computer-extension-attributes`,
 * `/api/v1/mobile-device-extension-attributes`) are newer than the 11.7.1 schema; their shape follows
 * vendor-apis.md §2.6. The Classic shape (`computer_extension_attribute`) and the value shapes inside
 * inventory (`ComputerExtensionAttribute`, `ExtensionAttributeV2`) follow the 11.7.1 schema and Classic
 * clients. The mock has no directory service, so a `DIRECTORY_SERVICE_ATTRIBUTE_MAPPING` EA is refused
 * with 400 `INVALID_CONTENT`, as a Jamf Pro without LDAP refuses it.
 */

import { type JsonObject, optBoolean, optString, optStringArray, requireBody } from './body.ts';
import { ClassicList, type ClassicObject } from './classic-format.ts';
import { duplicate, invalid, notFound } from './errors.ts';
import { child, childrenNamed, childText, type XmlElement } from './xml.ts';

export type EaKind = 'computer' | 'mobile';
export type EaDataType = 'STRING' | 'INTEGER' | 'DATE';
export type EaInputType = 'TEXT' | 'POPUP' | 'SCRIPT' | 'DIRECTORY_SERVICE_ATTRIBUTE_MAPPING';
export type EaDisplay =
  | 'GENERAL'
  | 'HARDWARE'
  | 'OPERATING_SYSTEM'
  | 'USER_AND_LOCATION'
  | 'PURCHASING'
  | 'EXTENSION_ATTRIBUTES';

export interface EaInput {
  readonly name: string;
  readonly description: string;
  readonly dataType: EaDataType;
  readonly enabled: boolean;
  readonly inventoryDisplayType: EaDisplay;
  readonly inputType: EaInputType;
  readonly scriptContents: string;
  readonly popupMenuChoices: readonly string[];
}

export interface EaDefinition extends EaInput {
  readonly id: number;
}

const DATA_TYPES: readonly EaDataType[] = ['STRING', 'INTEGER', 'DATE'];
const INPUT_TYPES: readonly EaInputType[] = [
  'TEXT',
  'POPUP',
  'SCRIPT',
  'DIRECTORY_SERVICE_ATTRIBUTE_MAPPING',
];
const DISPLAYS: readonly EaDisplay[] = [
  'GENERAL',
  'HARDWARE',
  'OPERATING_SYSTEM',
  'USER_AND_LOCATION',
  'PURCHASING',
  'EXTENSION_ATTRIBUTES',
];

/** Longest EA value accepted (Jamf stores values in a MySQL TEXT column). */
export const MAX_EA_VALUE_LENGTH = 65_535;

export class EaRegistry {
  readonly kind: EaKind;
  readonly #defs = new Map<number, EaDefinition>();
  #nextId = 1;

  constructor(kind: EaKind) {
    this.kind = kind;
  }

  list(): EaDefinition[] {
    return [...this.#defs.values()];
  }

  get(id: number): EaDefinition | undefined {
    return this.#defs.get(id);
  }

  require(idText: string): EaDefinition {
    const def = /^\d+$/.test(idText) ? this.#defs.get(Number(idText)) : undefined;
    if (!def)
      throw notFound(
        `${this.kind === 'computer' ? 'Computer' : 'Mobile device'} extension attribute`,
        idText,
      );
    return def;
  }

  /** Lookup by display name, case-insensitively as Jamf's smart-group criteria match names. */
  byName(name: string): EaDefinition | undefined {
    const lower = name.toLowerCase();
    for (const def of this.#defs.values()) if (def.name.toLowerCase() === lower) return def;
    return undefined;
  }

  #checkName(name: string, except?: number): void {
    const existing = this.byName(name);
    if (existing && existing.id !== except)
      throw duplicate('name', `an extension attribute named ${existing.name} already exists`);
  }

  create(input: EaInput): EaDefinition {
    this.#checkName(input.name);
    const def = { ...input, id: this.#nextId++ };
    this.#defs.set(def.id, def);
    return def;
  }

  replace(id: number, input: EaInput): EaDefinition {
    this.#checkName(input.name, id);
    const def = { ...input, id };
    this.#defs.set(id, def);
    return def;
  }

  delete(id: number): void {
    this.#defs.delete(id);
  }
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  field: string,
): T | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  const found = allowed.find((a) => a === upper);
  if (!found) throw invalid(field, `${field} must be one of ${allowed.join(', ')}`);
  return found;
}

function checkInput(input: EaInput, kind: EaKind, fields: { choices: string; script: string }): EaInput {
  if (input.name.trim() === '') throw invalid('name', 'name is required');
  if (input.name.length > 255) throw invalid('name', 'name is longer than 255 characters');
  if (kind === 'mobile' && input.inputType === 'SCRIPT')
    throw invalid('inputType', 'mobile device extension attributes cannot be scripts');
  if (kind === 'mobile' && input.inventoryDisplayType === 'OPERATING_SYSTEM')
    throw invalid('inventoryDisplayType', 'mobile devices have no OPERATING_SYSTEM inventory section');
  if (input.inputType === 'DIRECTORY_SERVICE_ATTRIBUTE_MAPPING') {
    throw invalid(
      'inputType',
      'a directory service attribute mapping needs an LDAP server, and none is configured',
      'INVALID_CONTENT',
    );
  }
  if (input.inputType === 'POPUP' && input.popupMenuChoices.length === 0)
    throw invalid(fields.choices, 'a POPUP extension attribute needs at least one choice');
  if (input.inputType === 'SCRIPT' && input.scriptContents.trim() === '')
    throw invalid(fields.script, 'a SCRIPT extension attribute needs a script');
  return input;
}

/** Reads a Pro API definition body (POST or PUT: a full replacement). */
export function parseProEa(body: unknown, kind: EaKind): EaInput {
  const o: JsonObject = requireBody(body);
  const name = optString(o, 'name', '');
  if (name === undefined) throw invalid('name', 'name is required', 'MISSING_FIELD');
  const inputType = oneOf(optString(o, 'inputType', ''), INPUT_TYPES, 'inputType') ?? 'TEXT';
  return checkInput(
    {
      name,
      description: optString(o, 'description', '') ?? '',
      dataType: oneOf(optString(o, 'dataType', ''), DATA_TYPES, 'dataType') ?? 'STRING',
      enabled: kind === 'mobile' ? true : (optBoolean(o, 'enabled', '') ?? true),
      inventoryDisplayType:
        oneOf(optString(o, 'inventoryDisplayType', ''), DISPLAYS, 'inventoryDisplayType') ??
        'EXTENSION_ATTRIBUTES',
      inputType,
      scriptContents: kind === 'mobile' ? '' : (optString(o, 'scriptContents', '') ?? ''),
      popupMenuChoices: optStringArray(o, 'popupMenuChoices', '') ?? [],
    },
    kind,
    { choices: 'popupMenuChoices', script: 'scriptContents' },
  );
}

/** The Pro API's definition object. */
export function proEa(def: EaDefinition, kind: EaKind): JsonObject {
  const common = {
    id: String(def.id),
    name: def.name,
    description: def.description,
    dataType: def.dataType,
  };
  const rest = {
    inventoryDisplayType: def.inventoryDisplayType,
    inputType: def.inputType,
    popupMenuChoices: def.inputType === 'POPUP' ? [...def.popupMenuChoices] : null,
    ldapAttributeMapping: null,
    ldapExtensionAttributeAllowed: false,
  };
  return kind === 'computer'
    ? {
        ...common,
        enabled: def.enabled,
        ...rest,
        scriptContents: def.inputType === 'SCRIPT' ? def.scriptContents : null,
      }
    : { ...common, ...rest };
}

const CLASSIC_DATA: Readonly<Record<EaDataType, string>> = {
  STRING: 'String',
  INTEGER: 'Integer',
  DATE: 'Date',
};
const CLASSIC_INPUT: Readonly<Record<EaInputType, string>> = {
  TEXT: 'Text Field',
  POPUP: 'Pop-up Menu',
  SCRIPT: 'script',
  DIRECTORY_SERVICE_ATTRIBUTE_MAPPING: 'LDAP Attribute Mapping',
};
const CLASSIC_DISPLAY: Readonly<Record<EaDisplay, string>> = {
  GENERAL: 'General',
  HARDWARE: 'Hardware',
  OPERATING_SYSTEM: 'Operating System',
  USER_AND_LOCATION: 'User and Location',
  PURCHASING: 'Purchasing',
  EXTENSION_ATTRIBUTES: 'Extension Attributes',
};

function fromClassic<T extends string>(
  text: string | undefined,
  table: Readonly<Record<T, string>>,
  field: string,
): T | undefined {
  if (text === undefined || text === '') return undefined;
  const lower = text.toLowerCase();
  for (const [key, label] of Object.entries(table) as [T, string][]) {
    if (label.toLowerCase() === lower || key.toLowerCase() === lower) return key;
  }
  throw invalid(field, `${field} must be one of ${Object.values(table).join(', ')}`);
}

function classicBoolean(text: string | undefined, field: string): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.toLowerCase() === 'true') return true;
  if (text.toLowerCase() === 'false') return false;
  throw invalid(field, `${field} must be true or false`);
}

/** Reads a Classic definition; on update, elements not sent keep their current values. */
export function parseClassicEa(root: XmlElement, kind: EaKind, current?: EaDefinition): EaInput {
  const input = child(root, 'input_type');
  const choices = child(input, 'popup_choices');
  const name = childText(root, 'name') ?? current?.name;
  if (name === undefined) throw invalid('name', 'Error: name is required');
  return checkInput(
    {
      name,
      description: childText(root, 'description') ?? current?.description ?? '',
      dataType:
        fromClassic(childText(root, 'data_type'), CLASSIC_DATA, 'data_type') ?? current?.dataType ?? 'STRING',
      enabled: classicBoolean(childText(root, 'enabled'), 'enabled') ?? current?.enabled ?? true,
      inventoryDisplayType:
        fromClassic(childText(root, 'inventory_display'), CLASSIC_DISPLAY, 'inventory_display') ??
        current?.inventoryDisplayType ??
        'EXTENSION_ATTRIBUTES',
      inputType:
        fromClassic(childText(input, 'type'), CLASSIC_INPUT, 'input_type/type') ??
        current?.inputType ??
        'TEXT',
      scriptContents: input ? (childText(input, 'script') ?? '') : (current?.scriptContents ?? ''),
      popupMenuChoices: choices
        ? childrenNamed(choices, 'choice').map((c) => c.text.trim())
        : (current?.popupMenuChoices ?? []),
    },
    kind,
    { choices: 'input_type/popup_choices', script: 'input_type/script' },
  );
}

/** The Classic definition object (root `computer_extension_attribute` / `mobile_device_extension_attribute`). */
export function classicEa(def: EaDefinition, kind: EaKind): ClassicObject {
  const inputType: ClassicObject =
    def.inputType === 'SCRIPT'
      ? { type: CLASSIC_INPUT.SCRIPT, platform: 'Mac', script: def.scriptContents }
      : def.inputType === 'POPUP'
        ? { type: CLASSIC_INPUT.POPUP, popup_choices: new ClassicList('choice', def.popupMenuChoices, false) }
        : { type: CLASSIC_INPUT[def.inputType] };
  const base: ClassicObject = { id: def.id, name: def.name };
  return kind === 'computer'
    ? {
        ...base,
        enabled: def.enabled,
        description: def.description,
        data_type: CLASSIC_DATA[def.dataType],
        input_type: inputType,
        inventory_display: CLASSIC_DISPLAY[def.inventoryDisplayType],
        recon_display: CLASSIC_DISPLAY[def.inventoryDisplayType],
      }
    : {
        ...base,
        description: def.description,
        data_type: CLASSIC_DATA[def.dataType],
        input_type: inputType,
        inventory_display: CLASSIC_DISPLAY[def.inventoryDisplayType],
      };
}

/** The `type` a Classic device record shows for an EA value. */
export function classicValueType(def: EaDefinition): string {
  return def.dataType === 'INTEGER' ? 'Number' : CLASSIC_DATA[def.dataType];
}

/**
 * Validates values written to a device and returns them in stored form: `[]` for "no value" (an empty
 * list or a single empty string), otherwise one value. Throws `invalid(field, …)`.
 */
export function normalizeValues(def: EaDefinition, values: readonly string[], field: string): string[] {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return [];
  if (present.length > 1)
    throw invalid(field, `extension attribute ${def.name} takes a single value, not ${present.length}`);
  const value = present[0] ?? '';
  if (value.length > MAX_EA_VALUE_LENGTH)
    throw invalid(field, `the value of ${def.name} is longer than ${MAX_EA_VALUE_LENGTH} characters`);
  if (def.dataType === 'INTEGER' && !/^-?\d+$/.test(value.trim()))
    throw invalid(field, `extension attribute ${def.name} is an INTEGER; '${value}' is not an integer`);
  if (def.dataType === 'DATE' && !isEaDate(value))
    throw invalid(field, `extension attribute ${def.name} is a DATE; use yyyy-MM-dd or yyyy-MM-dd HH:mm:ss`);
  if (def.inputType === 'POPUP' && !def.popupMenuChoices.includes(value))
    throw invalid(
      field,
      `'${value}' is not one of the choices of ${def.name}: ${def.popupMenuChoices.join(', ')}`,
    );
  return [def.dataType === 'INTEGER' ? value.trim() : value];
}

function isEaDate(value: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)Z?)?$/.exec(value.trim());
  return m?.[1] !== undefined && !Number.isNaN(Date.parse(m[1]));
}

/** Milliseconds of an EA date value (for smart-group date comparisons), or NaN. */
export function eaDateMs(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?/.exec(value.trim());
  if (!m?.[1]) return Number.NaN;
  return Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[2]?.length === 5 ? ':00' : ''}Z`);
}
