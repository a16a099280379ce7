using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Entities;

public enum HostKind
{
    Name,
    IPv4,
    IPv6,
}

/// <summary>A parsed host, normalized as Kong normalizes it (kong/tools/ip.lua).</summary>
public sealed record ParsedHost(HostKind Kind, string Host, int? Port)
{
    /// <summary>host:port, with IPv6 in brackets.</summary>
    public string Format(int defaultPort) =>
        Kind == HostKind.IPv6 ? $"[{Host}]:{Port ?? defaultPort}" : $"{Host}:{Port ?? defaultPort}";
}

/// <summary>Kong's host classification: more than one ':' is IPv6; digits and dots are IPv4; else a name.</summary>
public static partial class HostNames
{
    public static ParsedHost? Parse(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Count(c => c == ':') > 1)
        {
            return ParseIPv6(value);
        }
        if (DigitsAndDots().IsMatch(value.Replace(":", "", StringComparison.Ordinal)))
        {
            return ParseIPv4(value);
        }
        return ParseName(value);
    }

    private static ParsedHost? ParseIPv4(string value)
    {
        var match = IPv4().Match(value);
        if (!match.Success)
        {
            return null;
        }
        var octets = new int[4];
        for (var i = 0; i < 4; i++)
        {
            octets[i] = int.Parse(match.Groups[i + 1].Value, CultureInfo.InvariantCulture);
            if (octets[i] > 255)
            {
                return null;
            }
        }
        int? port = null;
        if (match.Groups[5].Success)
        {
            if (!TryPort(match.Groups[5].Value, out var p))
            {
                return null;
            }
            port = p;
        }
        return new ParsedHost(HostKind.IPv4, string.Join('.', octets), port);
    }

    private static ParsedHost? ParseIPv6(string value)
    {
        string address;
        int? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }
            address = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':') || !TryPort(rest[1..], out var p))
                {
                    return null;
                }
                port = p;
            }
        }
        else
        {
            address = value;
        }

        var halves = address.Split("::");
        if (halves.Length > 2)
        {
            return null;
        }
        var head = halves[0].Length == 0 ? [] : halves[0].Split(':');
        var tail = halves.Length == 2 && halves[1].Length > 0 ? halves[1].Split(':') : [];
        var missing = 8 - head.Length - tail.Length;
        if ((halves.Length == 1 && missing != 0) || (halves.Length == 2 && missing < 1))
        {
            return null;
        }
        var groups = head.Concat(Enumerable.Repeat("0", halves.Length == 2 ? missing : 0)).Concat(tail).ToList();
        if (groups.Any(g => !HexGroup().IsMatch(g)))
        {
            return null;
        }
        return new ParsedHost(HostKind.IPv6, string.Join(':', groups.Select(g => g.ToLowerInvariant().PadLeft(4, '0'))), port);
    }

    private static ParsedHost? ParseName(string value)
    {
        int? port = null;
        var name = value;
        var portMatch = TrailingPort().Match(value);
        if (portMatch.Success)
        {
            if (!TryPort(portMatch.Groups[1].Value, out var p))
            {
                return null;
            }
            port = p;
            name = value[..portMatch.Index];
        }
        if (!NameCharacters().IsMatch(name))
        {
            return null;
        }
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var last = i == labels.Length - 1;
            if ((labels[i].Length == 0 && !last) || labels[i].EndsWith('-'))
            {
                return null;
            }
        }
        return new ParsedHost(HostKind.Name, name, port);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;

    [GeneratedRegex(@"^[\d.]+\z")]
    private static partial Regex DigitsAndDots();

    [GeneratedRegex(@"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::(\d+))?\z")]
    private static partial Regex IPv4();

    [GeneratedRegex(@"^[0-9A-Fa-f]{1,4}\z")]
    private static partial Regex HexGroup();

    [GeneratedRegex(@":(\d+)\z")]
    private static partial Regex TrailingPort();

    [GeneratedRegex(@"^[0-9A-Za-z._-]+\z")]
    private static partial Regex NameCharacters();
}
