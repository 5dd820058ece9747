/** The help texts, one per command. */

const COMMON = `
Options:
  --format text|markdown|json|sarif   output format (default text, coloured when stdout is a terminal)
  --output FILE                       write there instead of stdout
  --config FILE                       configuration file (default: .github/access-diff.yml in the
                                      analysed tree when present, else the defaults)
  -h, --help                          this text

Exit status: 0 analysis done and nothing blocking; 2 a blocking finding (the configuration's
fail-on); 1 error (bad usage, unreadable repository, revision or configuration). A file of the tree
that cannot be parsed is reported in coverage.errors and does not fail the run.
`

export const DIFF_HELP = `access-diff diff: what a change does to the effective AWS IAM access of infrastructure code

Usage:
  access-diff diff [--repo DIR] --base REV [--head REV]   two git revisions (head defaults to HEAD;
                                                           read from git objects, no checkout)
  access-diff diff --base-dir DIR --head-dir DIR          two plain folders

The configuration is read from the BASE revision (or --base-dir), so that a change cannot loosen
the rules that judge it; --config FILE overrides it.
${COMMON}`

export const REPORT_HELP = `access-diff report: the effective AWS IAM access of one revision of infrastructure code

Usage:
  access-diff report [--repo DIR] [--rev REV]   one git revision (default HEAD; no checkout)
  access-diff report --dir DIR                  one plain folder
${COMMON}`

export const USAGE = `access-diff: the effective AWS IAM access of infrastructure code, and what a change does to it

Usage:
  access-diff diff [--repo DIR] --base REV [--head REV]   access delta between two git revisions
  access-diff diff --base-dir DIR --head-dir DIR          access delta between two folders
  access-diff report [--repo DIR] [--rev REV]             effective access of one revision
  access-diff report --dir DIR                            effective access of one folder
  access-diff policy FILE|ARN...                          parse, validate and summarise IAM policy
                                                          documents (JSON files, or AWS managed
                                                          policy ARNs from the offline dataset)
  access-diff demo                                        the PR comment for the bundled example
                                                          change (examples/org/base -> head)
  access-diff COMMAND --help                              help on a command

Exit status: 0 done, nothing blocking; 2 a blocking finding (policy: a policy has errors);
1 bad usage or unreadable input.
`
