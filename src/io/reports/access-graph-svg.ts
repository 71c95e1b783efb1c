import type { AccessReview, ReviewAdminPath, ReviewTrust } from '../../core/reports';
import { escapeHtml } from './html-page';

/** Layout of the graph: one lane per account, callers | roles | admin, every edge inside its lane. */
const COLUMN_X = [0, 380, 780] as const;
const NODE_WIDTH = 320;
const ADMIN_WIDTH = 160;
const ROW = 26;
const NODE_HEIGHT = 20;
const LANE_HEADER = 24;
const LANE_GAP = 14;

const COLORS: Readonly<Record<string, string>> = {
  admin: '#f3c1c1',
  role: '#dde8f7',
  'external-account': '#ffe2a8',
  'third-party': '#ffe2a8',
  oidc: '#e1f2df',
  saml: '#e1f2df',
  service: '#eeeeee',
  account: '#efe4f7',
  principal: '#efe4f7',
};

function shortLabel(label: string): string {
  const m = /^arn:[^:]+:iam::(\d{12}):(?:role|oidc-provider|saml-provider)\/(.+)$/.exec(label);
  return m ? `${m[2]} (${m[1]})` : label;
}

function box(x: number, y: number, w: number, label: string, fill: string, title: string): string {
  const text = label.length > 46 ? `${label.slice(0, 45)}…` : label;
  return `<g><title>${escapeHtml(title)}</title><rect x="${x}" y="${y}" width="${w}" height="${NODE_HEIGHT}" rx="4" fill="${fill}" stroke="#888"/><text x="${x + 6}" y="${y + 14}" font-size="12">${escapeHtml(text)}</text></g>`;
}

function curve(x1: number, y1: number, x2: number, y2: number, color: string, dashed: boolean, title: string): string {
  const mx = (x1 + x2) / 2;
  return `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" fill="none" stroke="${color}" stroke-width="1.4"${dashed ? ' stroke-dasharray="4 3"' : ''}><title>${escapeHtml(title)}</title></path>`;
}

/**
 * The access graph of a review as SVG: per account a lane with the callers (left), the roles on a path to admin or
 * with outside trust (middle) and the account's admin node (right). A caller from another account is drawn in each
 * lane it reaches, so no edge crosses lanes: the drawing grows by one lane per account and stays readable at 50.
 * Red edges end at admin; dashed ones are escalation paths.
 */
export function renderAccessGraphSvg(review: AccessReview): string {
  const parts: string[] = [];
  let y = 0;
  for (const account of review.accounts) {
    const lanePaths: readonly ReviewAdminPath[] = account.adminPaths;
    const trust: readonly ReviewTrust[] = account.trust;
    const roles = [...new Set([...lanePaths.map((p) => p.role), ...trust.map((t) => t.role)])].sort();
    if (roles.length === 0) continue;
    // Callers: the first hop of each admin path that starts elsewhere, and every outside trust.
    const callers = new Map<string, { kind: string; edges: { role: string; label: string }[] }>();
    const addCaller = (caller: string, kind: string, role: string, label: string) => {
      const entry = callers.get(caller) ?? { kind, edges: [] };
      if (!entry.edges.some((e) => e.role === role)) entry.edges.push({ role, label });
      callers.set(caller, entry);
    };
    for (const t of trust) addCaller(t.from, t.kind === 'third-party' ? 'third-party' : t.fromKind, t.role, `${t.kind}${t.requireMfa ? ', MFA' : ''}${t.externalId ? `, external id ${t.externalId}` : ''}`);
    for (const p of lanePaths) if (p.principal !== p.role && p.steps.length > 1) addCaller(p.principal, p.principalKind, p.role, p.steps[p.steps.length - 2]);
    const callerList = [...callers.keys()].sort();
    const rows = Math.max(roles.length, callerList.length, 1);
    const top = y + LANE_HEADER;
    parts.push(`<rect x="0" y="${y}" width="${COLUMN_X[2] + ADMIN_WIDTH + 10}" height="${LANE_HEADER + rows * ROW + 6}" fill="#fafafa" stroke="#ddd"/>`);
    parts.push(`<text x="6" y="${y + 16}" font-size="13" font-weight="700">${escapeHtml(`${account.account} (${account.accountId}) · owner ${account.owner}`)}</text>`);
    const roleY = new Map(roles.map((r, i) => [r, top + i * ROW]));
    const adminY = top + ((rows - 1) * ROW) / 2;
    callerList.forEach((c, i) => {
      const cy = top + i * ROW;
      const entry = callers.get(c)!;
      for (const e of entry.edges) {
        const ry = roleY.get(e.role);
        if (ry !== undefined) parts.push(curve(COLUMN_X[0] + NODE_WIDTH, cy + NODE_HEIGHT / 2, COLUMN_X[1], ry + NODE_HEIGHT / 2, '#555', false, e.label));
      }
      parts.push(box(COLUMN_X[0], cy, NODE_WIDTH, shortLabel(c), COLORS[entry.kind] ?? '#eee', c));
    });
    const hasAdmin = lanePaths.length > 0;
    for (const r of roles) {
      const ry = roleY.get(r)!;
      const grants = lanePaths.filter((p) => p.role === r && p.principal === r);
      for (const g of grants) parts.push(curve(COLUMN_X[1] + NODE_WIDTH, ry + NODE_HEIGHT / 2, COLUMN_X[2], adminY + NODE_HEIGHT / 2, '#c0392b', g.via === 'can-become', g.steps[g.steps.length - 1]));
      parts.push(box(COLUMN_X[1], ry, NODE_WIDTH, shortLabel(r), COLORS.role, r));
    }
    if (hasAdmin) parts.push(box(COLUMN_X[2], adminY, ADMIN_WIDTH, `admin of ${account.account}`, COLORS.admin, `admin-equivalent access in ${account.account}`));
    y = top + rows * ROW + LANE_GAP;
  }
  const width = COLUMN_X[2] + ADMIN_WIDTH + 12;
  const height = Math.max(y, 30);
  if (parts.length === 0) return '<p class="none">no admin paths and no outside trust</p>';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Access graph: who can reach admin, per account">${parts.join('')}</svg>`;
}
