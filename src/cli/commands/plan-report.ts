import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { countPlanChanges, mergePlanCounts } from '../../core/pipeline/terraform-plan-report';
import { EXIT_CODES } from '../exit-codes';
import type { CommandModule } from '../program';

/**
 * `iamctl plan-report PLAN.json ... [--output FILE]`: the GitLab Terraform widget report
 * (`{"create","update","delete"}`) summed over the plan JSON of every stack.
 */
export const planReportCommand: CommandModule = {
  register(program, context) {
    program
      .command('plan-report')
      .description('Sum `terraform show -json` plans into the report GitLab\'s Terraform widget reads')
      .argument('<plans...>', 'plan JSON files (terraform show -json <planfile>)')
      .option('--output <file>', 'write the report here instead of stdout')
      .action((plans: string[], options: { output?: string }) => {
        const counts = plans.map((file) => {
          const path = resolve(context.cwd, file);
          let plan: unknown;
          try {
            plan = JSON.parse(readFileSync(path, 'utf8'));
          } catch (error) {
            throw new IamPlatformError(
              ERROR_CODES.UNREADABLE_INPUT,
              `cannot read plan ${file}: ${(error as Error).message}. Create it with \`terraform show -json <planfile> > ${file}\`.`,
            );
          }
          const count = countPlanChanges(plan);
          for (const problem of count.problems) context.output.message(`warning: ${file} ${problem.path}: ${problem.message}`);
          return count;
        });
        const report = JSON.stringify(mergePlanCounts(counts));
        if (options.output) writeFileSync(resolve(context.cwd, options.output), `${report}\n`);
        else context.output.result(report);
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
