/**
 * Server-rendered HTML of the portal: plain forms that work without script and by keyboard, every input
 * with a label, errors next to their field (aria-describedby, aria-invalid) and in a summary. Script and
 * style are served by the portal itself (no external assets); the script only fills autocomplete lists.
 */
import type { AccessRequestProblem } from '../core/access-request';
import type { ResolvedOrganization } from '../core/model';
import type { AccessRequestPreview, MyRequest, RoleView, SearchHit, SubmittedRequest } from './access-portal';
import type { RequestForm } from './validate-request-form';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const h = escapeHtml;

/** The page frame. */
export interface PageFrame {
  readonly title: string;
  /** Signed-in user. @default - signed out */
  readonly user?: string;
  /** CSRF token of the session, for the sign-out form. @default - none */
  readonly csrf?: string;
}

/** A whole page. */
export function renderPage(frame: PageFrame, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(frame.title)} · iamctl access portal</title>
<link rel="stylesheet" href="/assets/portal.css">
<script src="/assets/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<nav aria-label="Portal">
<a href="/">Find access</a>
<a href="/request">Request access</a>
<a href="/requests">My requests</a>
</nav>
${frame.user !== undefined ? `<p class="user">Signed in as <strong>${h(frame.user)}</strong></p>` : ''}
</header>
<main id="main">
<h1>${h(frame.title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The search page with its results. */
export function renderSearch(org: ResolvedOrganization, query: string, hits: readonly SearchHit[]): string {
  const results =
    query === ''
      ? `<h2>Accounts</h2><ul>${org.accounts.map((a) => `<li><a href="/accounts/${h(a.name)}">${h(a.name)}</a> <span class="muted">${h(a.id)} · ${h(a.ou)} · ${h(a.environment)}</span></li>`).join('')}</ul>`
      : `<h2 id="results">Results for “${h(query)}”</h2>${
          hits.length === 0
            ? '<p>Nothing matches: try an account name, a role name or an action (<code>s3:GetObject</code>).</p>'
            : `<ul aria-labelledby="results">${hits
                .map((hit) => {
                  const href = hit.role !== undefined ? `/accounts/${h(hit.account!)}/roles/${h(hit.role)}` : `/accounts/${h(hit.account!)}`;
                  return `<li><a href="${href}">${h(hit.label)}</a> <span class="muted">${h(hit.kind)} · ${h(hit.detail)}</span></li>`;
                })
                .join('')}</ul>`
        }`;
  return `<form method="get" action="/" role="search">
<label for="q">Search accounts, roles and actions</label>
<input id="q" name="q" type="search" value="${h(query)}" autocomplete="off">
<button type="submit">Search</button>
</form>
${results}`;
}

/** An account with its roles. */
export function renderAccount(org: ResolvedOrganization, accountName: string): string {
  const account = org.accounts.find((a) => a.name === accountName)!;
  return `<p>${h(account.id)} · OU ${h(account.ou)} · ${h(account.environment)} · owner ${h(account.owner)}</p>
<h2>Roles</h2>
<table><caption class="visually-hidden">Roles of ${h(account.name)}</caption>
<thead><tr><th scope="col">Role</th><th scope="col">Kind</th><th scope="col">Owner</th><th scope="col">Description</th></tr></thead>
<tbody>${account.roles.map((r) => `<tr><td><a href="/accounts/${h(account.name)}/roles/${h(r.name)}">${h(r.name)}</a></td><td>${h(r.kind)}</td><td>${h(r.owner)}</td><td>${h(r.description)}${r.template !== undefined ? ` <span class="muted">(template ${h(r.template)})</span>` : ''}</td></tr>`).join('')}</tbody></table>`;
}

/** A role: what it can do and who can assume it. */
export function renderRole(view: RoleView): string {
  const { account, role } = view;
  const requestable = role.template === undefined && role.kind !== 'break-glass';
  return `<p>${h(role.description)} · kind ${h(role.kind)} · owner ${h(role.owner)} · in <a href="/accounts/${h(account.name)}">${h(account.name)}</a>${role.expires !== undefined ? ` · <strong>expires ${h(role.expires)}</strong>` : ''}</p>
${requestable ? `<p><a class="button" href="/request?account=${encodeURIComponent(account.name)}&amp;role=${encodeURIComponent(role.name)}">Request access to this role</a></p>` : `<p class="muted">${role.template !== undefined ? `Defined by the role template ${h(role.template)}: ask the platform team.` : 'Break-glass access is not requested here.'}</p>`}
<h2>Who can assume it</h2>
<ul>${view.trust.map((t) => `<li>${h(t.who)}${t.conditions !== '' ? ` — ${h(t.conditions)}` : ''}${t.expires !== undefined ? ` — expires ${h(t.expires)}` : ''}</li>`).join('')}</ul>
<h2>What it can do</h2>
${view.awsManagedPolicies.length > 0 ? `<p>AWS managed policies (documents not shown): ${view.awsManagedPolicies.map((n) => `<code>${h(n)}</code>`).join(', ')}</p>` : ''}
${
  view.permissions.length === 0
    ? '<p>No inline or customer managed permissions.</p>'
    : `<table><caption class="visually-hidden">Actions of ${h(role.name)}</caption>
<thead><tr><th scope="col">Action</th><th scope="col">Access level</th><th scope="col">Resources</th><th scope="col">Policies</th></tr></thead>
<tbody>${view.permissions.map((p) => `<tr><td><code>${h(p.action)}</code>${p.conditional ? ' <span class="muted">(with conditions)</span>' : ''}</td><td>${h(p.accessLevel ?? 'unknown')}</td><td>${p.resources.map((r) => `<code>${h(r)}</code>`).join('<br>')}</td><td>${h(p.policies.join(', '))}</td></tr>`).join('')}</tbody></table>`
}`;
}

const valuesOf = (form: RequestForm, key: string): string[] => {
  const v = form[key];
  return typeof v === 'string' ? [v] : [...(v ?? [])];
};
const valueOf = (form: RequestForm, key: string): string => valuesOf(form, key)[0] ?? '';

function problemsFor(problems: readonly AccessRequestProblem[], field: string): AccessRequestProblem[] {
  return problems.filter((p) => p.field === field || p.field.startsWith(`${field}[`));
}

function fieldError(problems: readonly AccessRequestProblem[], field: string): { attrs: string; html: string } {
  const mine = problemsFor(problems, field);
  if (mine.length === 0) return { attrs: '', html: '' };
  return { attrs: ` aria-invalid="true" aria-describedby="error-${field}"`, html: `<p class="error" id="error-${field}">${mine.map((p) => h(p.message)).join('<br>')}</p>` };
}

/** The request form, filled with what was posted and the problems next to their fields. */
export function renderRequestForm(org: ResolvedOrganization, form: RequestForm, problems: readonly AccessRequestProblem[], csrf: string): string {
  const accounts = new Set(valuesOf(form, 'accounts'));
  const kind = valueOf(form, 'kind') || 'permissions';
  const roleNames = [...new Set(org.accounts.flatMap((a) => a.roles.filter((r) => r.template === undefined && r.kind !== 'break-glass').map((r) => r.name)))].sort();
  const e = (field: string) => fieldError(problems, field);
  const summary =
    problems.length > 0
      ? `<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>The request has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}</h2><ul>${problems.map((p) => `<li><a href="#${h(p.field.replace(/\[.*$/, ''))}">${h(p.field)}</a>: ${h(p.message)}</li>`).join('')}</ul></div>`
      : '';
  return `${summary}
<form method="post" action="/request/preview" novalidate>
<input type="hidden" name="csrf" value="${h(csrf)}">
<fieldset id="accounts"${e('accounts').attrs}>
<legend>Accounts</legend>
${org.accounts.map((a) => `<div><input type="checkbox" id="account-${h(a.name)}" name="accounts" value="${h(a.name)}"${accounts.has(a.name) ? ' checked' : ''}><label for="account-${h(a.name)}">${h(a.name)} <span class="muted">${h(a.environment)}</span></label></div>`).join('\n')}
${e('accounts').html}
</fieldset>
<div class="field">
<label for="role">Role</label>
<input id="role" name="role" list="role-names" value="${h(valueOf(form, 'role'))}" autocomplete="off"${e('role').attrs}>
<datalist id="role-names">${roleNames.map((n) => `<option value="${h(n)}"></option>`).join('')}</datalist>
${e('role').html}
</div>
<fieldset id="kind"${e('kind').attrs}>
<legend>What you need</legend>
<div><input type="radio" id="kind-permissions" name="kind" value="permissions"${kind === 'permissions' ? ' checked' : ''}><label for="kind-permissions">Permissions for the role</label></div>
<div><input type="radio" id="kind-trust" name="kind" value="trust"${kind === 'trust' ? ' checked' : ''}><label for="kind-trust">Be allowed to assume the role (trust)</label></div>
${e('kind').html}
</fieldset>
<fieldset class="permissions">
<legend>Permissions</legend>
<div class="field">
<label for="action-lookup">Look up an action in the catalog</label>
<input id="action-lookup" list="action-options" autocomplete="off" aria-describedby="action-lookup-help">
<datalist id="action-options"></datalist>
<button type="button" id="add-action">Add action</button>
<p class="muted" id="action-lookup-help">Type a service and an action (<code>s3:GetO</code>); the access level is shown with each match.</p>
</div>
<div class="field">
<label for="actions">Actions, one per line</label>
<textarea id="actions" name="actions" rows="3"${e('actions').attrs}>${h(valuesOf(form, 'actions').join('\n'))}</textarea>
${e('actions').html}
</div>
<div class="field">
<label for="resources">Resource ARNs, one per line</label>
<textarea id="resources" name="resources" rows="3" aria-describedby="resource-templates-help"${e('resources').attrs}>${h(valuesOf(form, 'resources').join('\n'))}</textarea>
<p class="muted" id="resource-templates-help">ARN templates of the actions, filled for the first account: <span id="resource-templates">add an action to see them</span></p>
${e('resources').html}
</div>
</fieldset>
<fieldset class="trust">
<legend>Trust</legend>
<div class="field">
<label for="principal">Who may assume the role (account name, 12-digit account id or role ARN)</label>
<input id="principal" name="principal" value="${h(valueOf(form, 'principal'))}" autocomplete="off"${e('principal').attrs}>
${e('principal').html}
</div>
<div class="field">
<label for="requireMfa">Require MFA</label>
<select id="requireMfa" name="requireMfa"><option value="yes"${valueOf(form, 'requireMfa') !== 'no' ? ' selected' : ''}>Yes (default for people)</option><option value="no"${valueOf(form, 'requireMfa') === 'no' ? ' selected' : ''}>No</option></select>
</div>
</fieldset>
<div class="field">
<label for="justification">Justification</label>
<textarea id="justification" name="justification" rows="3"${e('justification').attrs}>${h(valueOf(form, 'justification'))}</textarea>
${e('justification').html}
</div>
<div class="field">
<label for="expires">Expires on (optional, YYYY-MM-DD, UTC)</label>
<input id="expires" name="expires" type="date" value="${h(valueOf(form, 'expires'))}"${e('expires').attrs}>
${e('expires').html}
</div>
<button type="submit">Preview</button>
</form>`;
}

function hiddenFields(form: RequestForm): string {
  const keys = ['accounts', 'role', 'kind', 'actions', 'resources', 'principal', 'requireMfa', 'justification', 'expires'];
  return keys.flatMap((k) => valuesOf(form, k).map((v) => `<input type="hidden" name="${k}" value="${h(v)}">`)).join('\n');
}

/** The preview: verdict, approvers, lint findings and the exact YAML change, with the submit form. */
export function renderPreview(preview: AccessRequestPreview, form: RequestForm, csrf: string): string {
  const a = preview.approvals;
  return `<section aria-labelledby="verdict-heading">
<h2 id="verdict-heading">Access diff verdict</h2>
<p class="verdict verdict-${h(preview.diff.verdict)}" id="verdict">${h(preview.diff.verdict)}</p>
<ul>${preview.diff.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>
</section>
<section aria-labelledby="approvers-heading">
<h2 id="approvers-heading">Approvers</h2>
<ul id="approvers">${a.required ? a.approvals.map((x) => `<li>${x.stage === 'security' ? 'Security approval' : 'Second approval (risky)'}: ${x.groups.map((g) => `<span class="group">${h(g)}</span>`).join(', ')}</li>`).join('') : '<li>none required</li>'}</ul>
<p class="muted">${h(a.reason)}</p>
</section>
<section aria-labelledby="lint-heading">
<h2 id="lint-heading">Lint</h2>
${preview.findings.length === 0 ? '<p id="lint">No findings in the changed files.</p>' : `<ul id="lint">${preview.findings.map((f) => `<li><strong>${h(f.severity)}</strong> <code>${h(f.rule)}</code> ${h(f.path)}: ${h(f.message)}${f.isNew ? ' <em>(new)</em>' : ''}</li>`).join('')}</ul>`}
</section>
<section aria-labelledby="yaml-heading">
<h2 id="yaml-heading">YAML change</h2>
${preview.files.map((f) => `<h3>${h(f.file)}</h3><pre class="diff" tabindex="0" aria-label="Change of ${h(f.file)}">${f.diff.split('\n').map((l) => `<span class="${l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx'}">${h(l)}</span>`).join('\n')}</pre>`).join('\n')}
</section>
<form method="post" action="/request/submit">
<input type="hidden" name="csrf" value="${h(csrf)}">
${hiddenFields(form)}
<p>Branch <code>${h(preview.plan.branch)}</code>, merge request “${h(preview.plan.title)}”.</p>
<button type="submit" id="submit-request">Submit merge request</button>
</form>
<form method="post" action="/request/edit">
<input type="hidden" name="csrf" value="${h(csrf)}">
${hiddenFields(form)}
<button type="submit">Change the request</button>
</form>`;
}

/** After submission. */
export function renderSubmitted(result: SubmittedRequest): string {
  return `<p role="status" id="submitted">Merge request <a href="${h(result.mergeRequest.web_url)}">!${result.mergeRequest.iid}</a> opened from branch <code>${h(result.branch)}</code>.</p>
<p><a href="/requests">See my requests</a></p>`;
}

/** "My requests". */
export function renderMyRequests(requests: readonly MyRequest[]): string {
  if (requests.length === 0) return '<p>No access requests yet. <a href="/request">Request access</a>.</p>';
  return `<table id="my-requests"><caption class="visually-hidden">My access requests</caption>
<thead><tr><th scope="col">Merge request</th><th scope="col">Title</th><th scope="col">State</th><th scope="col">Pipeline</th></tr></thead>
<tbody>${requests.map((r) => `<tr><td><a href="${h(r.webUrl)}">!${r.iid}</a></td><td>${h(r.title)}</td><td>${h(r.state)}</td><td>${h(r.pipeline)}</td></tr>`).join('')}</tbody></table>`;
}

/** An error page body. */
export function renderError(message: string): string {
  return `<div class="error-summary" role="alert"><p>${h(message)}</p></div><p><a href="/">Back to the start</a></p>`;
}

/** The portal's style sheet. */
export const PORTAL_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}header{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1rem;background:#12344d;color:#fff}
header a{color:#fff;margin-right:1rem}main{padding:1rem;max-width:70rem}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
a:focus,button:focus,input:focus,textarea:focus,select:focus,pre:focus{outline:3px solid #f5a623;outline-offset:2px}label{display:block;font-weight:600}fieldset div label{display:inline;font-weight:normal}
input,textarea,select{font:inherit;padding:.25rem;min-width:20rem}input[type=checkbox],input[type=radio]{min-width:0}.field,fieldset{margin:0 0 1rem}.muted{color:#555}.error{color:#b00020;font-weight:600}
.error-summary{border:3px solid #b00020;padding:.5rem 1rem;margin-bottom:1rem}.verdict{font-size:1.5rem;font-weight:700}.verdict-risky{color:#b00020}.verdict-new-access{color:#8a5300}.verdict-no-new-access{color:#1d6b2a}
pre.diff{background:#f6f8fa;padding:.5rem;overflow:auto}.add{color:#1d6b2a}.del{color:#b00020}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}button,.button{font:inherit;padding:.25rem .75rem}`;

/** The portal's only script: autocomplete of actions and the ARN templates of the chosen actions. */
export const PORTAL_JS = `(function(){
var lookup=document.getElementById('action-lookup');if(!lookup)return;
var list=document.getElementById('action-options'),actions=document.getElementById('actions'),templates=document.getElementById('resource-templates');
function firstAccount(){var c=document.querySelector('input[name=accounts]:checked');return c?c.value:'';}
lookup.addEventListener('input',function(){fetch('/api/actions?q='+encodeURIComponent(lookup.value)).then(function(r){return r.json();}).then(function(items){list.innerHTML='';items.forEach(function(i){var o=document.createElement('option');o.value=i.action;o.label=i.action+' ('+i.accessLevel+')';list.appendChild(o);});});});
function showTemplates(){var names=actions.value.split(/\\n/).map(function(s){return s.trim();}).filter(Boolean);if(!names.length)return;
Promise.all(names.map(function(n){return fetch('/api/resources?action='+encodeURIComponent(n)+'&account='+encodeURIComponent(firstAccount())).then(function(r){return r.json();});})).then(function(all){var arns=[].concat.apply([],all);templates.textContent=arns.length?arns.join('  ·  '):'none (the action takes Resource "*")';});}
document.getElementById('add-action').addEventListener('click',function(){var v=lookup.value.trim();if(!v)return;actions.value=(actions.value.trim()?actions.value.trim()+'\\n':'')+v;lookup.value='';showTemplates();actions.focus();});
actions.addEventListener('change',showTemplates);
})();`;
