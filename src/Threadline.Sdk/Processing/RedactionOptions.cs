using System.Text.RegularExpressions;

namespace Threadline.Sdk.Processing;

/// <summary>What a <see cref="RedactionProcessor"/> scrubs. Every built-in rule is on by default.</summary>
public sealed class RedactionOptions
{
    /// <summary>What replaces a scrubbed value or part of a value. Default "[REDACTED]".</summary>
    public string Replacement { get; set; } = "[REDACTED]";

    /// <summary>Replaces e-mail addresses inside string values.</summary>
    public bool RedactEmailAddresses { get; set; } = true;

    /// <summary>Replaces payment card numbers (13 to 19 digits, spaces or dashes allowed, Luhn checksum valid).</summary>
    public bool RedactCardNumbers { get; set; } = true;

    /// <summary>Replaces the credentials after "Bearer " and "Basic " (Authorization header values).</summary>
    public bool RedactAuthorizationCredentials { get; set; } = true;

    /// <summary>
    /// Replaces the whole value of attributes whose key names a secret: a word of the key (split at '.', '_',
    /// '-' and camelCase) is password, passwd, pwd, secret, token, apikey, authorization, cookie,
    /// credential(s), or the pair api+key, private+key, access+key. "gen_ai.usage.input_tokens" is not a secret.
    /// </summary>
    public bool RedactSecretKeys { get; set; } = true;

    /// <summary>Attribute keys whose values are always replaced whole (exact key, ignoring case), e.g. "user.ssn".</summary>
    public ISet<string> Keys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Patterns whose matches inside string values are replaced. They run on every string value, so keep them few and anchored.</summary>
    public IList<Regex> Patterns { get; } = [];
}
