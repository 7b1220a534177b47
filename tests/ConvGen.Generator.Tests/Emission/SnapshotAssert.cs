using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace ConvGen.Generator.Tests.Emission;

/// <summary>
/// Compares generated text with a committed baseline, Snapshots/{Class}.{Test}#{HintName}.verified.cs. On a mismatch
/// it writes the new text next to it as .received.cs and fails with the first differing line; with
/// CONVGEN_UPDATE_SNAPSHOTS=1 it accepts the new text instead. A missing baseline fails under CI and is created
/// otherwise, so a new snapshot test is reviewed as a committed file, never silently skipped.
/// </summary>
internal static class SnapshotAssert
{
    public static void Matches(string actual, string hintName, [CallerFilePath] string callerFile = "", [CallerMemberName] string test = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(callerFile))!, "Snapshots");
        string stem = $"{Path.GetFileNameWithoutExtension(callerFile)}.{test}#{hintName.Replace(".g.cs", "")}";
        string verified = Path.Combine(directory, stem + ".verified.cs");
        string received = Path.Combine(directory, stem + ".received.cs");
        string normalized = Normalize(actual);

        bool update = Environment.GetEnvironmentVariable("CONVGEN_UPDATE_SNAPSHOTS") == "1";
        if (!File.Exists(verified))
        {
            if (!update && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                File.WriteAllText(received, normalized);
                Assert.Fail($"No baseline {verified}; the output was written to {received}.");
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, normalized);
            return;
        }

        string expected = Normalize(File.ReadAllText(verified));
        if (expected == normalized)
        {
            File.Delete(received);
            return;
        }

        if (update)
        {
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalized);
        Assert.Fail($"Generated source differs from {Path.GetFileName(verified)} ({FirstDifference(expected, normalized)}). " +
                    $"New output: {received}. Accept it with CONVGEN_UPDATE_SNAPSHOTS=1 if the change is intended.");
    }

    /// <summary>Line endings, trailing whitespace and the generator version do not make a snapshot differ.</summary>
    public static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n").TrimStart('\uFEFF');
        text = Regex.Replace(text, @"[ \t]+\n", "\n");
        text = Regex.Replace(text, @"GeneratedCode\(""ConvGen"", ""[^""]*""\)", @"GeneratedCode(""ConvGen"", ""%VERSION%"")");
        text = Regex.Replace(text, @"^// ConvGen [0-9.]+:", "// ConvGen %VERSION%:", RegexOptions.Multiline);
        return text;
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of file>", al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return $"line {i + 1}: expected `{el.Trim()}` but got `{al.Trim()}`";
            }
        }

        return "no line differs";
    }
}
