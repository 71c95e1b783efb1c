import { countPlanChanges, mergePlanCounts } from './terraform-plan-report';

describe('countPlanChanges', () => {
  it('counts creates, updates, deletes and replaces the way GitLab does', () => {
    // Given a plan with every kind of change
    const plan = {
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_iam_role.a', change: { actions: ['create'] } },
        { address: 'aws_iam_role.b', change: { actions: ['update'] } },
        { address: 'aws_iam_role.c', change: { actions: ['delete', 'create'] } },
        { address: 'aws_iam_role.d', change: { actions: ['no-op'] } },
        { address: 'data.aws_caller_identity.x', change: { actions: ['read'] } },
        { address: 'aws_iam_policy.e', change: { actions: ['delete'] } },
      ],
    };
    // When it is counted
    const count = countPlanChanges(plan);
    // Then a replace is one create and one delete; no-op and read count nothing
    expect(count).toEqual({ create: 2, update: 1, delete: 2, problems: [] });
  });

  it('reports what it could not read and still counts the rest', () => {
    const count = countPlanChanges({ resource_changes: [{ change: {} }, { change: { actions: ['create', 'forget'] } }] });
    expect(count).toEqual({
      create: 1,
      update: 0,
      delete: 0,
      problems: [
        { path: '$.resource_changes[0].change.actions', message: 'missing actions list' },
        { path: '$.resource_changes[1].change.actions', message: 'unknown action "forget"' },
      ],
    });
    expect(countPlanChanges([]).problems[0].message).toContain('not a Terraform plan JSON object');
  });

  it('merges plans of several stacks', () => {
    expect(mergePlanCounts([{ create: 1, update: 2, delete: 3 }, { create: 4, update: 0, delete: 1 }])).toEqual({ create: 5, update: 2, delete: 4 });
  });
});
