import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppLoadError, expandMain, isDisabled } from '../../../src/local-host/app-loader';
import { tempDir } from '../../support/local-host';

function appWith(files: string[]): string {
  const dir = tempDir('waypoint-main-');
  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
  return dir;
}

describe('package.json "main" as the Functions host reads it', () => {
  const dir = appWith([
    'dist/src/index.js',
    'dist/src/functions/a.js',
    'dist/src/functions/b.js',
    'dist/src/functions/nested/c.js',
    'dist/src/functions/a.js.map',
    'node_modules/x/functions/d.js',
  ]);
  const relative = (files: string[]) => files.map((f) => f.slice(dir.length + 1));

  it('takes a plain file, or nothing when it is missing', () => {
    expect(relative(expandMain(dir, 'dist/src/index.js'))).toEqual(['dist/src/index.js']);
    expect(expandMain(dir, 'dist/missing.js')).toEqual([]);
  });

  it('expands *, ** and {a,b}, never inside node_modules', () => {
    expect(relative(expandMain(dir, 'dist/src/functions/*.js'))).toEqual([
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
    ]);
    expect(relative(expandMain(dir, './dist/src/functions/**/*.js'))).toEqual([
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
      'dist/src/functions/nested/c.js',
    ]);
    expect(relative(expandMain(dir, 'dist/src/{index.js,functions/a.js}'))).toEqual([
      'dist/src/functions/a.js',
      'dist/src/index.js',
    ]);
    expect(expandMain(dir, '**/d.js')).toEqual([]);
  });
});

describe('"main" stays inside the app folder', () => {
  it('refuses a main that points outside the app folder', () => {
    const dir = appWith(['app/index.js', 'outside.js']);
    const app = join(dir, 'app');
    expect(() => expandMain(app, '../outside.js')).toThrow(AppLoadError);
    expect(() => expandMain(app, '/etc/passwd')).toThrow(/outside the app folder/);
    expect(() => expandMain(app, '../*.js')).toThrow(/outside the app folder/);
  });

  it('does not follow symlinked folders while expanding a glob (a loop must not crash start)', () => {
    const dir = appWith(['dist/a.js']);
    symlinkSync('..', join(dir, 'dist', 'loop'));
    symlinkSync(tempDir('waypoint-elsewhere-'), join(dir, 'dist', 'elsewhere'));
    expect(expandMain(dir, 'dist/**/*.js').map((f) => f.slice(dir.length + 1))).toEqual(['dist/a.js']);
  });

  it('refuses a main file that is a symlink out of the app folder', () => {
    const dir = appWith(['app/placeholder.js', 'outside.js']);
    symlinkSync(join(dir, 'outside.js'), join(dir, 'app', 'index.js'));
    expect(() => expandMain(join(dir, 'app'), 'index.js')).toThrow(/outside the app folder/);
  });
});

describe('isDisabled (AzureWebJobs.<name>.Disabled)', () => {
  it('reads true or 1, in any case, in either spelling', () => {
    expect(isDisabled({ 'AzureWebJobs.f.Disabled': 'true' }, 'f')).toBe(true);
    expect(isDisabled({ 'AzureWebJobs.f.Disabled': ' True ' }, 'f')).toBe(true);
    expect(isDisabled({ 'AzureWebJobs.f.Disabled': '1' }, 'f')).toBe(true);
    expect(isDisabled({ AzureWebJobs__f__Disabled: 'TRUE' }, 'f')).toBe(true);
  });

  it('keeps a function whose setting is absent, false or anything else', () => {
    expect(isDisabled({}, 'f')).toBe(false);
    expect(isDisabled({ 'AzureWebJobs.f.Disabled': 'false' }, 'f')).toBe(false);
    expect(isDisabled({ 'AzureWebJobs.f.Disabled': 'yes' }, 'f')).toBe(false);
    expect(isDisabled({ 'AzureWebJobs.g.Disabled': 'true' }, 'f')).toBe(false);
  });
});
