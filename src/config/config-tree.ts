/**
 * Finds the files of an accounts/ folder (Terragrunt-style):
 *
 * ```
 * accounts/org.yaml                              organization defaults and role templates
 * accounts/policies/<policy>.yaml                org-wide policy library
 * accounts/scps/<scp>.yaml                       one service control policy per file
 * accounts/<ou>/ou.yaml                          OU defaults and role templates (optional)
 * accounts/<ou>/<child-ou>/...                   nested OUs, any depth, each with ou.yaml (optional) and accounts
 * accounts/<ou>/<account>/account.yaml           one account (required in an account folder)
 * accounts/<ou>/<account>/roles/<role>.yaml      one role per file
 * accounts/<ou>/<account>/policies/<policy>.yaml one customer managed policy per file
 * accounts/<ou>/<account>/imports.yaml           existing IAM the stack adopts (iamctl import)
 * ```
 *
 * Files that do not end in .yaml (READMEs, notes) and dot-files are ignored; a `.yml` file, a
 * stray YAML file or an unexpected folder is a problem, never a silent skip.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Problem } from '../core/errors';
import { isInside } from './config-file';

/** The folder of one account. */
export interface AccountFolder {
  /** OU folder name (the OU the account sits in directly). */
  readonly ou: string;
  /** OU names from the top-level OU down to {@link ou}. */
  readonly ouPath: readonly string[];
  /** Account folder name (the account name). */
  readonly name: string;
  /** Absolute path of account.yaml, when present. */
  readonly accountFile?: string;
  /** Absolute paths of roles/*.yaml, sorted. */
  readonly roleFiles: readonly string[];
  /** Absolute paths of policies/*.yaml, sorted. */
  readonly policyFiles: readonly string[];
  /** Absolute path of imports.yaml (written by `iamctl import`), when present. */
  readonly importsFile?: string;
  /** Repository-relative folder path, for problems about the folder itself. */
  readonly folder: string;
}

/** The folder of one OU, at any depth. */
export interface OuFolder {
  /** OU name: the folder name, unique in the organization. */
  readonly name: string;
  /** OU names from the top-level OU down to this one. */
  readonly path: readonly string[];
  /** The OU this one is nested in. @default - a top-level OU (under the root) */
  readonly parent?: string;
  /** Repository-relative folder path. */
  readonly folder: string;
  /** Absolute path of ou.yaml, when present. */
  readonly ouFile?: string;
  readonly accounts: readonly AccountFolder[];
}

/** Every file of an accounts/ folder. */
export interface ConfigTree {
  /** Absolute path of org.yaml, when present. */
  readonly orgFile?: string;
  /** Absolute paths of accounts/policies/*.yaml, sorted. */
  readonly libraryFiles: readonly string[];
  /** Absolute paths of accounts/scps/*.yaml (one service control policy each), sorted. */
  readonly scpFiles: readonly string[];
  readonly ous: readonly OuFolder[];
}

/** Repository-relative path with forward slashes. */
export function toRepoPath(rootDir: string, absPath: string): string {
  const inside = absPath.startsWith(rootDir + sep) ? absPath.slice(rootDir.length + 1) : relative(rootDir, absPath);
  return sep === '/' ? inside : inside.split(sep).join('/');
}

/** A folder entry, symbolic links resolved: a link inside the repository is what it points to. */
interface Entry {
  readonly name: string;
  isDirectory(): boolean;
}

/**
 * Entries of a folder, sorted, dot-files left out. A symbolic link is followed when its target is inside
 * the repository and reported (never followed, its target never shown) when it leaves it or is broken.
 */
function listEntries(dir: string, realRoot: string, onProblem: (abs: string, message: string) => void): Entry[] {
  const out: Entry[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    if (!e.isSymbolicLink()) {
      out.push(e);
      continue;
    }
    const abs = join(dir, e.name);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      onProblem(abs, 'broken symbolic link: its target does not exist; remove the link or restore the target');
      continue;
    }
    if (!isInside(realRoot, real)) {
      onProblem(abs, 'symbolic link to a place outside the repository: config is read only inside the repository; replace the link with the files themselves');
      continue;
    }
    const directory = statSync(real).isDirectory();
    out.push({ name: e.name, isDirectory: () => directory });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isYamlLike(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

/** Scans accounts/ and returns its files; layout problems go to `problems`. */
export function scanConfigTree(rootDir: string, accountsDir: string, problems: Problem[]): ConfigTree {
  const repo = (abs: string): string => toRepoPath(rootDir, abs);
  const unexpected = (abs: string, message: string): void => {
    problems.push({ file: repo(abs), path: '$', message });
  };
  const realRoot = realpathSync(rootDir);
  const listFolder = (dir: string): Entry[] => listEntries(dir, realRoot, unexpected);

  /** YAML files of a roles/ or policies/ folder. */
  const listDefinitionFiles = (dir: string, what: string): string[] => {
    const files: string[] = [];
    for (const entry of listFolder(dir)) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) unexpected(abs, `unexpected folder in ${what}/: put one ${what === 'roles' ? 'role' : 'policy'} per .yaml file directly in ${what}/`);
      else if (entry.name.endsWith('.yaml')) files.push(abs);
      else if (isYamlLike(entry.name)) unexpected(abs, `unexpected file: ${what}/ holds .yaml files; rename it to ${entry.name.replace(/\.[^.]+$/, '.yaml')}`);
    }
    return files;
  };

  let orgFile: string | undefined;
  let libraryFiles: string[] = [];
  let scpFiles: string[] = [];
  const ous: OuFolder[] = [];

  /**
   * One OU folder and, depth first, the OUs nested in it. A subfolder is an account when it holds
   * account.yaml, roles/ or policies/ (or nothing at all: then account.yaml is reported missing), and a
   * nested OU when it holds ou.yaml or only folders.
   */
  const scanOu = (abs: string, path: readonly string[]): void => {
    let ouFile: string | undefined;
    const accounts: AccountFolder[] = [];
    const children: { abs: string; name: string }[] = [];
    const name = path[path.length - 1] ?? '';
    for (const ouEntry of listFolder(abs)) {
      const ouAbs = join(abs, ouEntry.name);
      if (!ouEntry.isDirectory()) {
        if (ouEntry.name === 'ou.yaml') ouFile = ouAbs;
        else if (isYamlLike(ouEntry.name)) unexpected(ouAbs, 'unexpected file: an OU folder holds ou.yaml, one folder per account and one per nested OU');
        continue;
      }
      const inside = listFolder(ouAbs);
      const isAccount = inside.length === 0 || inside.some((e) => (e.isDirectory() ? e.name === 'roles' || e.name === 'policies' : e.name === 'account.yaml' || e.name === 'imports.yaml'));
      if (!isAccount) {
        children.push({ abs: ouAbs, name: ouEntry.name });
        continue;
      }
      let accountFile: string | undefined;
      let importsFile: string | undefined;
      let roleFiles: string[] = [];
      let policyFiles: string[] = [];
      for (const accountEntry of inside) {
        const accountAbs = join(ouAbs, accountEntry.name);
        if (accountEntry.isDirectory()) {
          if (accountEntry.name === 'roles') roleFiles = listDefinitionFiles(accountAbs, 'roles');
          else if (accountEntry.name === 'policies') policyFiles = listDefinitionFiles(accountAbs, 'policies');
          else unexpected(accountAbs, 'unexpected folder: an account folder holds account.yaml, roles/ and policies/');
        } else if (accountEntry.name === 'account.yaml') {
          accountFile = accountAbs;
        } else if (accountEntry.name === 'imports.yaml') {
          importsFile = accountAbs;
        } else if (isYamlLike(accountEntry.name)) {
          unexpected(accountAbs, 'unexpected file: an account folder holds account.yaml, roles/ and policies/');
        }
      }
      accounts.push({ ou: name, ouPath: path, name: ouEntry.name, accountFile, roleFiles, policyFiles, ...(importsFile ? { importsFile } : {}), folder: repo(ouAbs) });
    }
    ous.push({ name, path, ...(path.length > 1 ? { parent: path[path.length - 2] } : {}), ouFile, accounts, folder: repo(abs) });
    for (const child of children) scanOu(child.abs, [...path, child.name]);
  };
  for (const entry of listFolder(accountsDir)) {
    const abs = join(accountsDir, entry.name);
    if (!entry.isDirectory()) {
      if (entry.name === 'org.yaml') orgFile = abs;
      else if (isYamlLike(entry.name)) unexpected(abs, 'unexpected file: accounts/ holds org.yaml, policies/ and one folder per OU');
      continue;
    }
    if (entry.name === 'policies') {
      libraryFiles = listDefinitionFiles(abs, 'policies');
      continue;
    }
    if (entry.name === 'scps') {
      scpFiles = listDefinitionFiles(abs, 'scps');
      continue;
    }
    scanOu(abs, [entry.name]);
  }
  return { orgFile, libraryFiles, scpFiles, ous };
}
