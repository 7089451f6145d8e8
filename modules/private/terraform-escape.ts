/**
 * The one place text is escaped for Terraform: `${` would start an interpolation and `%{` a template
 * directive, so both are doubled. IAM policy variables such as `${aws:ResourceAccount}` reach AWS
 * unchanged because Terraform turns `$${` back into `${`.
 */
export function escapeTerraformTemplate(text: string): string {
  // Function replacers: in a replacement string `$$` would itself mean a single `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The inverse of {@link escapeTerraformTemplate}, as Terraform evaluates it (for tests and the drift reader). */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
