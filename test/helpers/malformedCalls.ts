/**
 * Payloads that are not acceptable API calls, shared by the transport tests (Electron IPC, serve's
 * WebSocket): each must be refused and run nothing. `answer` says how a transport refuses it:
 * 'reply' = an error reply to the call's id (one could be read), 'close' = no id could be read
 * (the WebSocket closes with a policy code; IPC answers an error without an id).
 */
export interface MalformedCall {
  name: string;
  /** The frame as a value (IPC sends it as is; the WebSocket sends its JSON)... */
  frame?: unknown;
  /** ...or as raw WebSocket text (IPC sends the string itself). */
  text?: string;
  answer: 'reply' | 'close' | 'too-big';
  /** The id the error reply carries when answer is 'reply'. */
  id?: number;
}

const huge = 'x'.repeat(5 * 1024 * 1024);

export const MALFORMED_CALLS: MalformedCall[] = [
  { name: 'not JSON', text: '{"kind":"call", id: 1', answer: 'close' },
  { name: 'a number, not an object', frame: 42, answer: 'close' },
  { name: 'null', frame: null, answer: 'close' },
  { name: 'an array', frame: [{ kind: 'call', id: 1, method: 'app.info', params: {} }], answer: 'close' },
  { name: 'missing id', frame: { kind: 'call', method: 'app.info', params: {} }, answer: 'close' },
  {
    name: 'id not an integer',
    frame: { kind: 'call', id: 1.5, method: 'app.info', params: {} },
    answer: 'close',
  },
  { name: 'negative id', frame: { kind: 'call', id: -1, method: 'app.info', params: {} }, answer: 'close' },
  {
    name: 'wrong kind',
    frame: { kind: 'reply', id: 7, method: 'app.info', params: {} },
    answer: 'reply',
    id: 7,
  },
  { name: 'missing kind', frame: { id: 8, method: 'app.info', params: {} }, answer: 'reply', id: 8 },
  { name: 'missing method', frame: { kind: 'call', id: 9, params: {} }, answer: 'reply', id: 9 },
  {
    name: 'method not a string',
    frame: { kind: 'call', id: 10, method: 42, params: {} },
    answer: 'reply',
    id: 10,
  },
  {
    name: 'unknown method',
    frame: { kind: 'call', id: 11, method: 'runs.nuke', params: {} },
    answer: 'reply',
    id: 11,
  },
  {
    name: 'inherited property as method',
    frame: { kind: 'call', id: 12, method: 'constructor', params: {} },
    answer: 'reply',
    id: 12,
  },
  {
    name: 'extra keys in the frame',
    frame: { kind: 'call', id: 13, method: 'app.info', params: {}, sudo: true },
    answer: 'reply',
    id: 13,
  },
  {
    name: 'params of the wrong type',
    frame: { kind: 'call', id: 14, method: 'runs.get', params: { runId: 42 } },
    answer: 'reply',
    id: 14,
  },
  {
    name: 'params not an object',
    frame: { kind: 'call', id: 15, method: 'runs.get', params: 'r1' },
    answer: 'reply',
    id: 15,
  },
  {
    name: 'extra keys in params',
    frame: { kind: 'call', id: 16, method: 'runs.get', params: { runId: 'r1', force: true } },
    answer: 'reply',
    id: 16,
  },
  {
    name: 'missing required params',
    frame: { kind: 'call', id: 17, method: 'runs.stop', params: {} },
    answer: 'reply',
    id: 17,
  },
  {
    name: 'a __proto__ key in params',
    text: '{"kind":"call","id":18,"method":"runs.get","params":{"runId":"r1","__proto__":{"admin":true}}}',
    answer: 'reply',
    id: 18,
  },
  {
    name: 'oversized (5 MiB of notes)',
    frame: { kind: 'call', id: 19, method: 'runs.update', params: { runId: 'r1', notes: huge } },
    answer: 'too-big',
  },
];

/** The frame a case sends over IPC: the value itself, or the raw text as a string. */
export function ipcPayload(c: MalformedCall): unknown {
  if (c.text === undefined) return c.frame;
  try {
    return JSON.parse(c.text) as unknown;
  } catch {
    return c.text;
  }
}

/** The text a case sends over the WebSocket. */
export function wsText(c: MalformedCall): string {
  return c.text ?? JSON.stringify(c.frame);
}
