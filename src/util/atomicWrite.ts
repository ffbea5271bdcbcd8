// Every file this extension writes in place goes through here, with one policy: the new
// bytes go to a temporary file beside the target, are flushed to the disk (fsync), and
// only then renamed over it. After a crash or power cut the file holds the old bytes or
// the new ones, never a torn mix. The folder itself is not flushed, so a crash right
// after the rename may bring back the old file, never a broken one. write-file-atomic
// also keeps the mode and owner of a file it replaces and writes through a symbolic link
// to the link's target instead of replacing the link.

import writeFileAtomicLib from 'write-file-atomic';

/** Writes `data` to `file` atomically (see the policy above). */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomicLib(file, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: true });
}

/**
 * Whether `name` is a temporary file a write of `target` left behind (a crash between
 * creating it and the rename): write-file-atomic names it `<target>.<digits>`.
 */
export function isAtomicWriteLeftover(name: string, target: string): boolean {
  if (!name.startsWith(`${target}.`)) return false;
  const rest = name.slice(target.length + 1);
  return rest.length > 0 && rest.length <= 10 && /^[0-9]+$/.test(rest);
}
