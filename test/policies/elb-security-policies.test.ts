// The table of Elastic Load Balancing security policies against the naming rule and against the
// facts gathered in /work/shared/reference/policy-facts.md.

import { describe, expect, it } from "vitest";
import {
  ELB_DEFAULT_SECURITY_POLICY,
  ELB_RECOMMENDED_SECURITY_POLICY,
  elbSecurityPolicyMinimumTls,
  knownElbSecurityPolicies,
} from "../../policies/lb/elb-security-policies.js";

/** The naming rule: the N of "TLS-1-N-", "TLS13-1-N-" or "FS-1-N-" is the minimum; no version means 1.0. */
function minimumByName(name: string): string {
  const versioned = /-(?:TLS|TLS13|FS)-1-(\d)-/.exec(name);
  return versioned ? `1.${versioned[1]}` : "1.0";
}

describe("the ELB security policy table", () => {
  it.each(knownElbSecurityPolicies())("%s has the minimum TLS version its name gives", (name) => {
    expect(elbSecurityPolicyMinimumTls(name)).toBe(minimumByName(name));
  });

  it.each(knownElbSecurityPolicies())("%s is a predefined policy name", (name) => {
    expect(name).toMatch(/^ELBSecurityPolicy-(?:[A-Za-z0-9-]+-)?20\d\d-\d\d$/);
  });

  it.each([
    ["ELBSecurityPolicy-2016-08", "1.0"],
    ["ELBSecurityPolicy-2015-05", "1.0"],
    ["ELBSecurityPolicy-FS-2018-06", "1.0"],
    ["ELBSecurityPolicy-TLS-1-0-2015-04", "1.0"],
    ["ELBSecurityPolicy-TLS-1-1-2017-01", "1.1"],
    ["ELBSecurityPolicy-FS-1-1-2019-08", "1.1"],
    ["ELBSecurityPolicy-TLS13-1-0-2021-06", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-1-2021-06", "1.1"],
    ["ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "1.1"],
    ["ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09", "1.0"],
    ["ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09", "1.1"],
    ["ELBSecurityPolicy-TLS-1-2-2017-01", "1.2"],
    ["ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "1.2"],
    ["ELBSecurityPolicy-FS-1-2-2019-08", "1.2"],
    ["ELBSecurityPolicy-FS-1-2-Res-2019-08", "1.2"],
    ["ELBSecurityPolicy-FS-1-2-Res-2020-10", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-3-2021-06", "1.3"],
    ["ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "1.3"],
    ["ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07", "1.3"],
    ["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "1.2"],
    ["ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "1.3"],
    ["ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09", "1.3"],
    ["ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09", "1.2"],
  ])("knows %s, which allows TLS %s (policy-facts.md)", (name, minimum) => {
    expect(elbSecurityPolicyMinimumTls(name)).toBe(minimum);
  });

  it("gives the default policy, ELBSecurityPolicy-2016-08, a TLS 1.0 minimum", () => {
    expect(ELB_DEFAULT_SECURITY_POLICY).toBe("ELBSecurityPolicy-2016-08");
    expect(elbSecurityPolicyMinimumTls(ELB_DEFAULT_SECURITY_POLICY)).toBe("1.0");
  });

  it("recommends, for each minimum, a known policy with exactly that minimum", () => {
    expect(elbSecurityPolicyMinimumTls(ELB_RECOMMENDED_SECURITY_POLICY["1.2"])).toBe("1.2");
    expect(elbSecurityPolicyMinimumTls(ELB_RECOMMENDED_SECURITY_POLICY["1.3"])).toBe("1.3");
  });

  it.each(["ELBSecurityPolicy-TLS13-1-2-2099-01", "elbsecuritypolicy-tls13-1-2-2021-06", "", "constructor", "toString", "__proto__"])(
    "does not know %j",
    (name) => {
      expect(elbSecurityPolicyMinimumTls(name)).toBeUndefined();
    },
  );
});
