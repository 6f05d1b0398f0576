// cephx_calc_client_server_challenge (src/auth/cephx/CephxProtocol.cc, Ceph 20.2): the client
// proves it holds its secret by folding bytes derived from CephXChallengeBlob{le64
// server_challenge, le64 client_challenge} into one u64 (XOR of whole little-endian words).
//   aes (type 1):     the bytes are encode_encrypt of the blob with the secret (so the le32
//                     length prefix is part of them).
//   any other type:   HMAC-SHA256 of the blob keyed by the raw secret (encode_hash): aes256k's
//                     random confounder would make an encryption unrepeatable.
import { Writer } from '../encoding/writer.ts';
import type { CephxCipher } from './cipher.ts';
import { encodeEncrypt } from './envelope.ts';
import { KeyUsage } from './key-usage.ts';
import { keyType } from './key-types.ts';

export async function challengeProof(secret: CephxCipher, serverChallenge: bigint, clientChallenge: bigint): Promise<bigint> {
  let bytes: Uint8Array;
  if (keyType(secret.type).proof === 'encrypt') {
    bytes = await encodeEncrypt(secret, KeyUsage.DEFAULT, (w) => w.u64(serverChallenge).u64(clientChallenge));
  } else {
    bytes = await secret.hmacSha256(new Writer(16).u64(serverChallenge).u64(clientChallenge).finish());
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let k = 0n;
  for (let pos = 0; pos + 8 <= bytes.length; pos += 8) k ^= v.getBigUint64(pos, true);
  return k;
}
