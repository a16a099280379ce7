using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.ControlPlanes;

/// <summary>The limits the Konnect Control Planes v2 spec sets on names, descriptions, labels and proxy URLs.</summary>
public static partial class ControlPlaneRules
{
    public const int MinNameLength = 2;
    public const int MaxNameLength = 256;
    public const int MaxDescriptionLength = 2048;
    public const int MaxLabels = 50;
    public const int MaxLabelLength = 63;
    public const int MaxProxyUrls = 5;
    public const int MaxProxyHostLength = 120;
    public const int MaxProxyProtocolLength = 32;

    private static readonly string[] s_reservedLabelPrefixes = ["kong", "konnect", "mesh", "kic", "_"];

    public static List<InvalidParameter> Check(NewControlPlane request)
    {
        var errors = new List<InvalidParameter>();
        CheckName(request.Name, errors);
        CheckCommon(request.Description, request.ProxyUrls, request.Labels, errors);
        return errors;
    }

    public static List<InvalidParameter> Check(ControlPlaneChanges changes)
    {
        var errors = new List<InvalidParameter>();
        if (changes.Name is not null)
        {
            CheckName(changes.Name, errors);
        }
        CheckCommon(changes.Description, changes.ProxyUrls, changes.Labels, errors);
        return errors;
    }

    private static void CheckName(string name, List<InvalidParameter> errors)
    {
        var length = new StringInfo(name).LengthInTextElements;
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new InvalidParameter("name", "cannot be blank", "required"));
        }
        else if (length < MinNameLength)
        {
            errors.Add(InvalidParameter.MinLength("name", MinNameLength));
        }
        else if (length > MaxNameLength)
        {
            errors.Add(InvalidParameter.MaxLength("name", MaxNameLength));
        }
        else if (name.Any(char.IsControl))
        {
            errors.Add(new InvalidParameter("name", "must not contain control characters", "invalid"));
        }
    }

    private static void CheckCommon(
        string? description, IReadOnlyList<ProxyUrl>? proxyUrls, IReadOnlyDictionary<string, string>? labels, List<InvalidParameter> errors)
    {
        if (description is not null && new StringInfo(description).LengthInTextElements > MaxDescriptionLength)
        {
            errors.Add(InvalidParameter.MaxLength("description", MaxDescriptionLength));
        }
        if (proxyUrls is not null)
        {
            CheckProxyUrls(proxyUrls, errors);
        }
        if (labels is not null)
        {
            CheckLabels(labels, errors);
        }
    }

    public static void CheckLabels(IReadOnlyDictionary<string, string> labels, List<InvalidParameter> errors)
    {
        if (labels.Count > MaxLabels)
        {
            errors.Add(new InvalidParameter("labels", $"must not have more than {MaxLabels} labels", "max_items") { Maximum = MaxLabels });
        }
        foreach (var (key, value) in labels)
        {
            var field = $"labels.{key}";
            if (key.Length is 0 or > MaxLabelLength || !LabelPattern().IsMatch(key))
            {
                errors.Add(new InvalidParameter(field,
                    $"label keys must be 1-{MaxLabelLength} letters, digits, '-', '.' or '_', starting and ending with a letter or digit", "is_label"));
            }
            else if (s_reservedLabelPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new InvalidParameter(field,
                    "label keys cannot start with 'kong', 'konnect', 'mesh', 'kic' or '_'", "is_label"));
            }
            if (value.Length is 0 or > MaxLabelLength || !LabelPattern().IsMatch(value))
            {
                errors.Add(new InvalidParameter(field,
                    $"label values must be 1-{MaxLabelLength} letters, digits, '-', '.' or '_', starting and ending with a letter or digit", "is_label"));
            }
        }
    }

    private static void CheckProxyUrls(IReadOnlyList<ProxyUrl> proxyUrls, List<InvalidParameter> errors)
    {
        if (proxyUrls.Count > MaxProxyUrls)
        {
            errors.Add(InvalidParameter.MaxItems("proxy_urls", MaxProxyUrls));
        }
        for (var i = 0; i < proxyUrls.Count; i++)
        {
            var (host, port, protocol) = proxyUrls[i];
            if (host.Length is 0 or > MaxProxyHostLength)
            {
                errors.Add(host.Length == 0 ? InvalidParameter.MinLength($"proxy_urls[{i}].host", 1) : InvalidParameter.MaxLength($"proxy_urls[{i}].host", MaxProxyHostLength));
            }
            if (port is < 1 or > 65535)
            {
                errors.Add(new InvalidParameter($"proxy_urls[{i}].port", "must be between 1 and 65535", "min") { Minimum = 1 });
            }
            if (protocol.Length is 0 or > MaxProxyProtocolLength)
            {
                errors.Add(protocol.Length == 0 ? InvalidParameter.MinLength($"proxy_urls[{i}].protocol", 1) : InvalidParameter.MaxLength($"proxy_urls[{i}].protocol", MaxProxyProtocolLength));
            }
            if (proxyUrls.Take(i).Contains(proxyUrls[i]))
            {
                errors.Add(new InvalidParameter($"proxy_urls[{i}]", "duplicates an earlier proxy URL: proxy_urls is a set", "invalid"));
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9A-Z]([a-z0-9A-Z\-._]*[a-z0-9A-Z]+)?$")]
    private static partial Regex LabelPattern();
}
