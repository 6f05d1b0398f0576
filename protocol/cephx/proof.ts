// cephx_calc_client_server_challenge (src/auth/cephx/CephxProtocol.cc): encrypt
// CephXChallengeBlob{le64 server_challenge, le64 client_challenge} with the client secret
// (encode_encrypt, so the le32 length prefix is part of the bytes) and XOR-fold whole
// little-endian u64 words of the result.
import { type CephxCipher, encodeEncrypt } from './envelope.ts';

export async function challengeProof(secret: CephxCipher, serverChallenge: bigint, clientChallenge: bigint): Promise<bigint> {
  const enc = await encodeEncrypt(secret, (w) => w.u64(serverChallenge).u64(clientChallenge));
  const v = new DataView(enc.buffer, enc.byteOffset, enc.byteLength);
  let k = 0n;
  for (let pos = 0; pos + 8 <= enc.length; pos += 8) k ^= v.getBigUint64(pos, true);
  return k;
}
