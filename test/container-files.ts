import { deflateRawSync } from 'node:zlib';

export type ZipPart = {
  name: string;
  content: Buffer | string;
  /** The unpacked size the zip's directory states; the true one unless a test makes it lie. */
  declaredSize?: number;
  /** Changes the packed bytes before they are written, as damage on the way would. */
  damage?: (packed: Buffer) => Buffer;
};

/** A zip of deflated parts, as hostile or damaged as a test needs (no checksums: the hub does not check them). */
export function zipFile(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const content = Buffer.from(part.content);
    const packed = deflateRawSync(content);
    const data = part.damage ? part.damage(packed) : packed;
    const size = part.declaredSize ?? content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * An OLE compound file (MS-CFB, 512-byte sectors) whose directory holds entries of these names, its first
 * directory sector right after the header and its second one `secondDirectorySectorAt` sectors on, past the
 * first bytes a request's head holds. The streams themselves hold nothing.
 */
export function compoundFile(names: string[], secondDirectorySectorAt = 20): Buffer {
  const sectorSize = 512;
  const sectors = secondDirectorySectorAt + 1;
  const file = Buffer.alloc(sectorSize * (sectors + 1));
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  file.writeUInt16LE(0x003e, 0x18);
  file.writeUInt16LE(3, 0x1a);
  file.writeUInt16LE(0xfffe, 0x1c);
  file.writeUInt16LE(9, 0x1e);
  file.writeUInt16LE(6, 0x20);
  file.writeUInt32LE(1, 0x2c);
  // Sector 0 holds the allocation table; sector 1 the first four directory entries.
  file.writeUInt32LE(1, 0x30);
  file.writeUInt32LE(0xfffffffe, 0x3c);
  file.writeUInt32LE(0xfffffffe, 0x44);
  file.writeUInt32LE(0, 0x4c);
  for (let index = 1; index < 109; index++) file.writeUInt32LE(0xffffffff, 0x4c + index * 4);
  const fat = sectorSize;
  for (let sector = 0; sector < sectorSize / 4; sector++) file.writeUInt32LE(0xffffffff, fat + sector * 4);
  file.writeUInt32LE(0xfffffffd, fat);
  file.writeUInt32LE(secondDirectorySectorAt, fat + 4);
  file.writeUInt32LE(0xfffffffe, fat + secondDirectorySectorAt * 4);
  const entries = ['Root Entry', ...names];
  entries.forEach((name, index) => {
    const sector = index < 4 ? 1 : secondDirectorySectorAt;
    const at = (sector + 1) * sectorSize + (index % 4) * 128;
    file.write(name, at, 'utf16le');
    file.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    file.writeUInt8(index === 0 ? 5 : 2, at + 0x42);
  });
  return file;
}
