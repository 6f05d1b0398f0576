export { Reader } from './reader.ts';
export { Writer } from './writer.ts';
export { DecodeError } from './decode-error.ts';
export { utf8Encode, utf8Decode, utf8Length } from './utf8.ts';
export { concatBytes } from './concat-bytes.ts';
