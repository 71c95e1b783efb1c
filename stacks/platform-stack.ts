import { TerraformElement, TerraformStack } from 'cdktf';
import { escapeTerraformValue } from './terraform-template-escape';

const ESCAPED = Symbol('iam-platform.template-escaped');

type EscapableElement = TerraformElement & { [ESCAPED]?: true };

/**
 * Base of every platform stack (account, organization, log archive): when the stack renders its
 * Terraform JSON, each element's literal strings keep `${` and `%{` literal (see
 * terraform-template-escape.ts), whatever module created the element. Token references stay
 * interpolations. Covers `cdk.tf.json` (JSON synth, the only output the platform writes); the HCL
 * output of cdktf (`toHclTerraform`) is not escaped.
 */
export abstract class PlatformStack extends TerraformStack {
  public override toTerraform(): ReturnType<TerraformStack['toTerraform']> {
    for (const node of this.node.findAll()) {
      if (!TerraformElement.isTerraformElement(node) || TerraformStack.of(node) !== this) continue;
      const element = node as EscapableElement;
      if (element[ESCAPED]) continue;
      const render = element.toTerraform.bind(element);
      element.toTerraform = () => escapeTerraformValue(render()) as ReturnType<TerraformElement['toTerraform']>;
      element[ESCAPED] = true;
    }
    return super.toTerraform();
  }
}
