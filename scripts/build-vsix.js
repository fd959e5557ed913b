// Builds the VS Code extension (editors/vscode/) into a .vsix, offline: the client bundled with
// rolldown (vscode-languageclient inlined, `vscode` left to the editor), then the package zipped as
// VS Code installs it (`code --install-extension tiaoli-vscode-0.1.0.vsix`). A .vsix is a zip with a
// manifest and a content-types part beside the extension's files under extension/.
// Usage: node scripts/build-vsix.js [OUT.vsix]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { build } from 'rolldown';

const here = (p) => new URL(`../editors/vscode/${p}`, import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(here('package.json'), 'utf8'));
const out = process.argv[2] ?? new URL(`../dist/${manifest.name}-vscode-${manifest.version}.vsix`, import.meta.url).pathname;

const staging = mkdtempSync(join(tmpdir(), 'tiaoli-vsix-'));
try {
  await build({
    input: here('src/extension.ts'),
    platform: 'node',
    external: ['vscode'],
    output: { file: join(staging, 'extension.js'), format: 'cjs', minify: true },
    logLevel: 'warn',
  });
  const files = [
    ['extension/package.json', readFileSync(here('package.json'))],
    ['extension/README.md', readFileSync(here('README.md'))],
    ['extension/language-configuration.json', readFileSync(here('language-configuration.json'))],
    ['extension/syntaxes/tiaoli.tmLanguage.json', readFileSync(here('syntaxes/tiaoli.tmLanguage.json'))],
    ['extension/out/extension.js', readFileSync(join(staging, 'extension.js'))],
  ];
  const vsixManifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011">
  <Metadata>
    <Identity Language="en-US" Id="${manifest.name}" Version="${manifest.version}" Publisher="${manifest.publisher}" />
    <DisplayName>${manifest.displayName}</DisplayName>
    <Description xml:space="preserve">${manifest.description.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Description>
    <Categories>${manifest.categories.join(',')}</Categories>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${manifest.engines.vscode}" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;
  const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension=".json" ContentType="application/json" />
  <Default Extension=".js" ContentType="application/javascript" />
  <Default Extension=".md" ContentType="text/markdown" />
  <Default Extension=".vsixmanifest" ContentType="text/xml" />
</Types>
`;
  writeFileSync(out, zip([['[Content_Types].xml', Buffer.from(contentTypes)], ['extension.vsixmanifest', Buffer.from(vsixManifest)], ...files]));
  process.stdout.write(`${out}\n`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}

/** A zip of [name, bytes] entries, each deflated: local headers, then the central directory. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    // Version needed 2.0, UTF-8 names (bit 11), deflate (8), a fixed time (1980-01-01) so builds are byte-identical.
    const common = (h, at) => {
      h.writeUInt16LE(20, at);
      h.writeUInt16LE(0x0800, at + 2);
      h.writeUInt16LE(8, at + 4);
      h.writeUInt16LE(0, at + 6);
      h.writeUInt16LE(0x21, at + 8);
      h.writeUInt32LE(crc, at + 10);
      h.writeUInt32LE(packed.length, at + 14);
      h.writeUInt32LE(data.length, at + 18);
      h.writeUInt16LE(nameBytes.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    locals.push(local, nameBytes, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common(central, 6);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
