using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Validation;

/// <summary>
/// Checks a <see cref="LayerSpec"/> and returns every problem found, errors and warnings alike. Pure, so the analyzer
/// (which reports) and the generator (which only needs to know whether to emit) agree by construction.
/// </summary>
internal static class LayerValidator
{
    public static List<Problem> Validate(LayerSpec spec)
    {
        var problems = new List<Problem>();
        if (!spec.IsWellFormed)
        {
            // Half-typed or non-constant arguments: the compiler already reports them; checking a guess would only add noise.
            return problems;
        }

        string name = spec.ClassName;
        CheckClass(spec, problems);
        foreach (string other in spec.OtherAttributes)
        {
            problems.Add(Make(DiagnosticIds.MultipleLayerAttributes, System.Array.Empty<string>(), name, spec.AttributeName, other));
        }

        CheckKernel(spec, problems);
        foreach ((string arg, IntArgument value) in new[] { ("S", spec.S), ("Sd", spec.Sd), ("Sh", spec.Sh), ("Sw", spec.Sw) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.StrideInvalid, new[] { arg }, arg, N(value.Value), name));
            }
        }

        foreach ((string arg, IntArgument value) in new[] { ("D", spec.D), ("Dd", spec.Dd), ("Dh", spec.Dh), ("Dw", spec.Dw) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.DilationInvalid, new[] { arg }, arg, N(value.Value), name));
            }
        }

        foreach ((string arg, IntArgument value) in PadArguments(spec))
        {
            if (value.IsSet && value.Value < 0)
            {
                problems.Add(Make(DiagnosticIds.PaddingNegative, new[] { arg }, arg, N(value.Value), name));
            }
        }

        foreach ((string arg, IntArgument value) in OutputPadArguments(spec))
        {
            if (value.IsSet && value.Value < 0)
            {
                problems.Add(Make(DiagnosticIds.OutputPaddingNegative, new[] { arg }, arg, N(value.Value), name));
            }
        }

        if (spec.Groups.IsSet && spec.Groups.Value < 1)
        {
            problems.Add(Make(DiagnosticIds.GroupsInvalid, new[] { "Groups" }, N(spec.Groups.Value), name));
        }

        if (spec.DepthMultiplier.IsSet && spec.DepthMultiplier.Value < 1)
        {
            problems.Add(Make(DiagnosticIds.DepthMultiplierInvalid, new[] { "DepthMultiplier" }, N(spec.DepthMultiplier.Value), name));
        }

        CheckChannels(spec, problems);
        foreach ((string arg, IntArgument value) in new[] { ("InD", spec.InD), ("InH", spec.InH), ("InW", spec.InW), ("InL", spec.InL) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.InputSizeInvalid, new[] { arg }, arg, N(value.Value), name));
            }
        }

        CheckOptions(spec, problems);
        if (HasErrors(problems))
        {
            return problems;
        }

        if (CheckAxesBeforeResolving(spec, problems))
        {
            return problems;
        }

        LayerGeometry g = spec.Resolve();
        if (CheckSize(spec, g, problems))
        {
            return problems;
        }

        if (g.HasStaticChannels && spec.Kind != LayerKind.Separable)
        {
            CheckGroupsDivide(name, g.Groups, "InChannels", g.InChannels, g.InChannels, problems);
            CheckGroupsDivide(name, g.Groups, "OutChannels", g.OutChannels, g.InChannels, problems);
        }

        var perAxis = new List<List<Problem>>();
        foreach (Axis axis in Axes(spec, g))
        {
            var found = new List<Problem>();
            CheckAxis(spec, g, axis, found);
            perAxis.Add(found);
        }

        // Merge height and width twins (a square layer's P = 4 is one problem); depth stays on its own.
        if (spec.Dimensions >= 2)
        {
            int h = perAxis.Count - 2, w = perAxis.Count - 1;
            for (int i = 0; i < h; i++)
            {
                problems.AddRange(perAxis[i]);
            }

            problems.AddRange(MergeAxes(perAxis[h], perAxis[w]));
        }
        else
        {
            problems.AddRange(perAxis[0]);
        }

        CheckRunTimeSame(spec, g, problems);
        return problems;
    }

    /// <summary>Every pad argument that exists on some attribute, square forms first.</summary>
    private static (string Arg, IntArgument Value)[] PadArguments(LayerSpec spec) => new[]
    {
        ("P", spec.P), ("Pd", spec.Pd), ("Ph", spec.Ph), ("Pw", spec.Pw), ("PadFront", spec.PadFront), ("PadBack", spec.PadBack),
        ("PadTop", spec.PadTop), ("PadBottom", spec.PadBottom), ("PadLeft", spec.PadLeft), ("PadRight", spec.PadRight),
    };

    private static (string Arg, IntArgument Value)[] OutputPadArguments(LayerSpec spec) => new[]
    {
        ("OutputPadding", spec.OutputPadding), ("OutputPaddingD", spec.OutputPaddingD), ("OutputPaddingH", spec.OutputPaddingH),
        ("OutputPaddingW", spec.OutputPaddingW),
    };

    /// <summary>Padding rule, padding mode, activation and slope: enum ranges and combinations.</summary>
    private static void CheckOptions(LayerSpec spec, List<Problem> problems)
    {
        string name = spec.ClassName;
        bool enumsValid = true;
        foreach ((string arg, int value, string type, int max, string values) in new[]
        {
            ("Padding", spec.Padding, "PaddingRule", (int)LayerPaddingRule.Valid, "Explicit, Same, SameLower, Valid (0 to 3)"),
            ("PaddingMode", spec.PaddingMode, "PaddingMode", (int)LayerPaddingMode.Circular, "Zeros, Reflect, Replicate, Circular (0 to 3)"),
            ("Activation", spec.Activation, "Activation", (int)LayerActivation.SiLU, "None, ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, SiLU (0 to 6)"),
        })
        {
            if (value < 0 || value > max)
            {
                problems.Add(Make(DiagnosticIds.EnumValueInvalid, new[] { arg }, arg, N(value), name, type, values));
                enumsValid = false;
            }
        }

        if (spec.NegativeSlopeIsSet && (float.IsNaN(spec.NegativeSlope) || float.IsInfinity(spec.NegativeSlope)))
        {
            problems.Add(Make(DiagnosticIds.NegativeSlopeNotFinite, new[] { "NegativeSlope" }, F(spec.NegativeSlope), name));
        }
        else if (spec.NegativeSlopeIsSet && enumsValid && spec.Activation != (int)LayerActivation.LeakyReLU)
        {
            problems.Add(Make(DiagnosticIds.NegativeSlopeIgnored, new[] { "NegativeSlope", "Activation" }, name, F(spec.NegativeSlope),
                ((LayerActivation)spec.Activation).ToString()));
        }

        if (!enumsValid)
        {
            return;
        }

        if (spec.Padding != (int)LayerPaddingRule.Explicit)
        {
            foreach ((string arg, IntArgument value) in PadArguments(spec))
            {
                if (value.IsSet)
                {
                    problems.Add(Make(DiagnosticIds.PaddingRuleWithPads, new[] { arg }, name, ((LayerPaddingRule)spec.Padding).ToString(), arg, N(value.Value)));
                }
            }
        }

        if (spec.Kind == LayerKind.Transposed && spec.PaddingMode != (int)LayerPaddingMode.Zeros)
        {
            problems.Add(Make(DiagnosticIds.PaddingModeOnTransposed, new[] { "PaddingMode" }, name, spec.AttributeName,
                ((LayerPaddingMode)spec.PaddingMode).ToString()));
        }
    }

    /// <summary>One used spatial axis of a layer, with the argument names that set each of its values, best first.</summary>
    private sealed record Axis(
        string Name, string Line, string Letter, string SizeArg,
        string[] KernelArgs, string[] StrideArgs, string[] DilationArgs, string[] PadBeginArgs, string[] PadEndArgs, string[] OutputPadArgs,
        string BeginEdge, string EndEdge,
        int Size, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd, int OutputPad);

    /// <summary>The used axes, depth first; a 1-D layer's one axis is the width axis, named "length".</summary>
    private static List<Axis> Axes(LayerSpec spec, LayerGeometry g)
    {
        var axes = new List<Axis>();
        if (spec.Dimensions == 3)
        {
            axes.Add(new Axis("depth", "plane", "d", "InD", new[] { "Kd", "K" }, new[] { "Sd", "S" }, new[] { "Dd", "D" },
                new[] { "PadFront", "Pd", "P" }, new[] { "PadBack", "Pd", "P" }, new[] { "OutputPaddingD", "OutputPadding" }, "the front", "the back",
                g.InD, g.KernelD, g.StrideD, g.DilationD, g.PadFront, g.PadBack, g.OutputPadD));
        }

        if (spec.Dimensions >= 2)
        {
            axes.Add(new Axis("height", "row", "h", "InH", new[] { "Kh", "K" }, new[] { "Sh", "S" }, new[] { "Dh", "D" },
                new[] { "PadTop", "Ph", "P" }, new[] { "PadBottom", "Ph", "P" }, new[] { "OutputPaddingH", "OutputPadding" }, "the top edge", "the bottom edge",
                g.InH, g.KernelH, g.StrideH, g.DilationH, g.PadH, g.PadBottom, g.OutputPadH));
            axes.Add(new Axis("width", "column", "w", "InW", new[] { "Kw", "K" }, new[] { "Sw", "S" }, new[] { "Dw", "D" },
                new[] { "PadLeft", "Pw", "P" }, new[] { "PadRight", "Pw", "P" }, new[] { "OutputPaddingW", "OutputPadding" }, "the left edge", "the right edge",
                g.InW, g.KernelW, g.StrideW, g.DilationW, g.PadW, g.PadRight, g.OutputPadW));
        }
        else
        {
            axes.Add(new Axis("length", "position", "", "InL", new[] { "K" }, new[] { "S" }, new[] { "D" },
                new[] { "PadLeft", "P" }, new[] { "PadRight", "P" }, new[] { "OutputPadding" }, "the start", "the end",
                g.InW, g.KernelW, g.StrideW, g.DilationW, g.PadW, g.PadRight, g.OutputPadW));
        }

        return axes;
    }

    /// <summary>The first of <paramref name="candidates"/> that is written, else the last (the square shorthand).</summary>
    private static string Written(LayerSpec spec, string[] candidates)
    {
        foreach (string candidate in candidates)
        {
            if (IsWritten(spec, candidate))
            {
                return candidate;
            }
        }

        return candidates[candidates.Length - 1];
    }

    private static bool IsWritten(LayerSpec spec, string arg) => arg switch
    {
        "K" => spec.K.IsSet, "Kd" => spec.Kd.IsSet, "Kh" => spec.Kh.IsSet, "Kw" => spec.Kw.IsSet,
        "S" => spec.S.IsSet, "Sd" => spec.Sd.IsSet, "Sh" => spec.Sh.IsSet, "Sw" => spec.Sw.IsSet,
        "D" => spec.D.IsSet, "Dd" => spec.Dd.IsSet, "Dh" => spec.Dh.IsSet, "Dw" => spec.Dw.IsSet,
        "P" => spec.P.IsSet, "Pd" => spec.Pd.IsSet, "Ph" => spec.Ph.IsSet, "Pw" => spec.Pw.IsSet,
        "PadFront" => spec.PadFront.IsSet, "PadBack" => spec.PadBack.IsSet, "PadTop" => spec.PadTop.IsSet,
        "PadBottom" => spec.PadBottom.IsSet, "PadLeft" => spec.PadLeft.IsSet, "PadRight" => spec.PadRight.IsSet,
        "OutputPadding" => spec.OutputPadding.IsSet, "OutputPaddingD" => spec.OutputPaddingD.IsSet,
        "OutputPaddingH" => spec.OutputPaddingH.IsSet, "OutputPaddingW" => spec.OutputPaddingW.IsSet,
        _ => false,
    };

    /// <summary>Axis rules on the unresolved values that are errors: output padding too large, unreachable 'same'.</summary>
    private static bool CheckAxesBeforeResolving(LayerSpec spec, List<Problem> problems)
    {
        bool error = false;
        LayerGeometry raw = (spec with { Padding = (int)LayerPaddingRule.Valid }).Resolve();
        var seen = new List<(string Key, int Index)>();
        void Add(Problem problem, string key, int axisArg, string axisName, int lineArg, string lines)
        {
            // The same argument with the same numbers on two axes (OutputPadding = 2 on height and width) is one problem.
            int twin = seen.FindIndex(x => x.Key == key);
            if (twin >= 0)
            {
                Problem first = problems[seen[twin].Index];
                string[] args = System.Linq.Enumerable.ToArray(first.MessageArgs);
                args[axisArg] = args[axisArg].Replace(" axis", "") + " and " + axisName + " axes";
                if (lineArg >= 0)
                {
                    args[lineArg] = args[lineArg] + " and " + lines;
                }

                problems[seen[twin].Index] = first with { MessageArgs = new EquatableArray<string>(args) };
                return;
            }

            seen.Add((key, problems.Count));
            problems.Add(problem);
            error = true;
        }

        foreach (Axis axis in Axes(spec, raw))
        {
            string strideArg = Written(spec, axis.StrideArgs);
            if (spec.Kind == LayerKind.Transposed && axis.OutputPad >= axis.Stride && axis.OutputPad >= axis.Dilation)
            {
                string opArg = Written(spec, axis.OutputPadArgs);
                Add(Make(DiagnosticIds.OutputPaddingTooLarge, axis.OutputPadArgs, opArg, N(axis.OutputPad), N(axis.Stride), N(axis.Dilation),
                    spec.ClassName, axis.Name + " axis", axis.Line + "s"),
                    $"op|{opArg}|{axis.OutputPad}|{axis.Stride}|{axis.Dilation}", 5, axis.Name, 6, axis.Line + "s");
            }

            bool same = spec.Padding is (int)LayerPaddingRule.Same or (int)LayerPaddingRule.SameLower;
            long reach = ConvArithmetic.DilatedKernel(axis.Kernel, axis.Dilation) + axis.OutputPad;
            if (spec.Kind == LayerKind.Transposed && same && reach < axis.Stride)
            {
                Add(Make(DiagnosticIds.SamePaddingImpossible, new[] { strideArg, "Padding" }, spec.ClassName, axis.Name + " axis", N(axis.Stride),
                    N(axis.Dilation), N(axis.Kernel), N(axis.OutputPad), N(reach)),
                    $"same|{strideArg}|{axis.Stride}|{axis.Dilation}|{axis.Kernel}|{axis.OutputPad}", 1, axis.Name, -1, "");
            }
        }

        return error;
    }

    public static bool HasErrors(IEnumerable<Problem> problems)
    {
        foreach (Problem p in problems)
        {
            if (DiagnosticDescriptors.Get(p.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckClass(LayerSpec spec, List<Problem> problems)
        => DeclarationChecks.Check(
            new DeclaredType(spec.Namespace, spec.ClassName, spec.Keyword, spec.IsPartial, spec.TypeParameterCount, spec.IsStatic, spec.IsAbstract, spec.ContainingTypes),
            problems);

    private static void CheckKernel(LayerSpec spec, List<Problem> problems)
    {
        string name = spec.ClassName;
        bool anyInvalid = false;
        foreach ((string arg, IntArgument value) in new[] { ("K", spec.K), ("Kd", spec.Kd), ("Kh", spec.Kh), ("Kw", spec.Kw) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.KernelSizeInvalid, new[] { arg }, arg, N(value.Value), name));
                anyInvalid = true;
            }
        }

        if (anyInvalid)
        {
            return;
        }

        foreach ((string arg, IntArgument value) in new[] { ("Kd", spec.Kd), ("Kh", spec.Kh), ("Kw", spec.Kw) })
        {
            if (spec.K.IsSet && value.IsSet && value.Value != spec.K.Value)
            {
                problems.Add(Make(DiagnosticIds.KernelSizeConflict, new[] { arg }, name, N(spec.K.Value), arg, N(value.Value)));
            }
        }

        if (spec.K.IsSet)
        {
            return;
        }

        switch (spec.Dimensions)
        {
            case 1:
                problems.Add(Make(DiagnosticIds.KernelSizeMissing, System.Array.Empty<string>(), name, "length (K)", "K"));
                break;
            case 3:
                const string Fix3 = "K, or all of Kd, Kh and Kw";
                if (!spec.Kd.IsSet)
                {
                    problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kh", "Kw" }, name, "depth (Kd)", Fix3));
                }

                if (!spec.Kh.IsSet)
                {
                    problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kd", "Kw" }, name, "height (Kh)", Fix3));
                }

                if (!spec.Kw.IsSet)
                {
                    problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kd", "Kh" }, name, "width (Kw)", Fix3));
                }

                break;
            default:
                const string Fix2 = "K, or both Kh and Kw";
                if (!spec.Kh.IsSet)
                {
                    problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kw" }, name, "height (Kh)", Fix2));
                }

                if (!spec.Kw.IsSet)
                {
                    problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kh" }, name, "width (Kw)", Fix2));
                }

                break;
        }
    }

    private static void CheckChannels(LayerSpec spec, List<Problem> problems)
    {
        string name = spec.ClassName;
        bool invalid = false;
        foreach ((string arg, IntArgument value) in new[] { ("InChannels", spec.InChannels), ("OutChannels", spec.OutChannels) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.ChannelsInvalid, new[] { arg }, arg, N(value.Value), name));
                invalid = true;
            }
        }

        if (!invalid && spec.InChannels.IsSet != spec.OutChannels.IsSet)
        {
            (string given, string missing, IntArgument value) = spec.InChannels.IsSet
                ? ("InChannels", "OutChannels", spec.InChannels)
                : ("OutChannels", "InChannels", spec.OutChannels);
            problems.Add(Make(DiagnosticIds.ChannelsHalfSpecified, new[] { given }, name, given, N(value.Value), missing));
        }
    }

    private static void CheckGroupsDivide(string name, int groups, string arg, int channels, int inChannels, List<Problem> problems)
    {
        if (channels % groups == 0)
        {
            return;
        }

        // Groups = InChannels is a depthwise layer: then only OutChannels can fail, and the fix is a whole multiplier.
        string depthwise = groups == inChannels && arg == "OutChannels"
            ? string.Format(CultureInfo.InvariantCulture,
                "; with Groups = InChannels = {0} the layer is depthwise, so OutChannels must be InChannels times a whole channel multiplier, but OutChannels/Groups = {1}/{0} is not whole (try OutChannels = {2})",
                groups, channels, (channels / groups + 1) * groups)
            : "";
        problems.Add(Make(DiagnosticIds.GroupsNotDividing, new[] { "Groups" }, N(groups), name, arg, N(channels), N(channels % groups), depthwise));
    }

    private static void CheckAxis(LayerSpec spec, LayerGeometry g, Axis axis, List<Problem> problems)
    {
        string name = spec.ClassName;
        int size = axis.Size, kernel = axis.Kernel, stride = axis.Stride, dilation = axis.Dilation, pb = axis.PadBegin, pe = axis.PadEnd;
        string strideArg = Written(spec, axis.StrideArgs), dilationArg = Written(spec, axis.DilationArgs);
        string kernelArg = Written(spec, axis.KernelArgs);
        string beginArg = Written(spec, axis.PadBeginArgs), endArg = Written(spec, axis.PadEndArgs);
        bool transposed = spec.Kind == LayerKind.Transposed;
        bool explicitPads = g.PaddingRule == LayerPaddingRule.Explicit;
        long dilated = ConvArithmetic.DilatedKernel(kernel, dilation);
        string padSum = pb == pe ? "2*" + N(pb) : N(pb) + " + " + N(pe);

        if (stride > 1 && dilation > 1)
        {
            problems.Add(Make(DiagnosticIds.StrideWithDilation, new[] { strideArg, dilationArg }, name, strideArg, N(stride), dilationArg, N(dilation), axis.Name));
        }

        // Reflect and circular padding read the input itself, so they need enough of it (checked when the pads are known).
        if (size > 0 && g.PadsKnownAtBuildTime && (g.PaddingMode == LayerPaddingMode.Reflect || g.PaddingMode == LayerPaddingMode.Circular))
        {
            bool reflect = g.PaddingMode == LayerPaddingMode.Reflect;
            foreach ((int pad, string[] args, string side) in new[] { (pb, axis.PadBeginArgs, "begin"), (pe, axis.PadEndArgs, "end") })
            {
                if (reflect ? pad >= size : pad > size)
                {
                    string padName = explicitPads ? Written(spec, args) : "the '" + (g.PaddingRule == LayerPaddingRule.SameLower ? "same-lower" : "same") + "' " + side + " pad";
                    string[] where = explicitPads ? new[] { Written(spec, args), axis.SizeArg } : new[] { "Padding", axis.SizeArg };
                    problems.Add(Make(DiagnosticIds.PaddingExceedsInput, where, name, axis.Name, g.PaddingMode.ToString(), padName,
                        N(pad), N(size), reflect ? "smaller than" : "at most"));
                    break;
                }
            }
        }

        if (transposed)
        {
            if (size > 0)
            {
                long output = ConvArithmetic.TransposedOutputSize(size, kernel, pb, pe, stride, dilation, axis.OutputPad);
                if (output <= 0)
                {
                    problems.Add(Make(DiagnosticIds.TransposedOutputNotPositive, new[] { beginArg, endArg, axis.SizeArg }, name, axis.Name, N(output), N(size),
                        N(stride), N(pb), N(pe), N(dilation), N(kernel), N(axis.OutputPad), N(output + pb + pe)));
                }
            }

            return;
        }

        if (size > 0)
        {
            long output = ConvArithmetic.OutputSize(size, kernel, pb, pe, stride, dilation);
            if (output <= 0)
            {
                problems.Add(Make(DiagnosticIds.OutputSizeNotPositive, new[] { axis.SizeArg }, name, axis.Name, N(output), N(size), padSum,
                    N(dilation), N(kernel), N(stride), N((long)size + pb + pe), N(dilated)));
                return;
            }

            long unread = ConvArithmetic.UnreadInputs(size, kernel, pb, pe, stride, dilation);
            if (unread > 0)
            {
                long span = (long)size + pb + pe - dilated;
                problems.Add(Make(DiagnosticIds.InputNeverRead, axis.StrideArgs.Concat(new[] { axis.SizeArg }).ToArray(),
                    name, N(unread), axis.Line, N(size), padSum, N(dilation), N(kernel), N(stride), N(span % stride), N(pe)));
            }
        }

        if (!explicitPads)
        {
            // 'same' and 'valid' pads never reach the dilated kernel and never make the even-kernel K/2 on both sides.
            return;
        }

        if (pb == pe && beginArg == endArg)
        {
            if (pb >= dilated)
            {
                problems.Add(Make(DiagnosticIds.PaddingOnlyOutputs, new[] { beginArg }, name, beginArg, N(pb), "D*(K-1)+1", N(dilated),
                    N((pb - dilated + stride) / stride), axis.Line, "each edge"));
            }
        }
        else
        {
            foreach ((int pad, string arg, string edge) in new[] { (pb, beginArg, axis.BeginEdge), (pe, endArg, axis.EndEdge) })
            {
                if (pad >= dilated)
                {
                    problems.Add(Make(DiagnosticIds.PaddingOnlyOutputs, new[] { arg }, name, arg, N(pad), "D*(K-1)+1", N(dilated),
                        N((pad - dilated + stride) / stride), axis.Line, edge));
                }
            }
        }

        if (kernel % 2 == 0 && dilation == 1 && pb == kernel / 2 && pe == kernel / 2)
        {
            problems.Add(Make(DiagnosticIds.EvenKernelHalfPadding, new[] { beginArg, endArg, kernelArg }, name, kernelArg, N(kernel), beginArg, N(pb), axis.Name,
                N((kernel - 1) / 2), N(kernel / 2)));
        }
    }

    /// <summary>'same' with a stride and no static size: the pads are decided per input at run time (Info).</summary>
    private static void CheckRunTimeSame(LayerSpec spec, LayerGeometry g, List<Problem> problems)
    {
        if (g.PadsKnownAtBuildTime)
        {
            return;
        }

        var axes = new List<string>();
        var strides = new List<string>();
        var sizes = new List<string>();
        foreach (Axis axis in Axes(spec, g))
        {
            if (axis.Stride > 1 && axis.Size <= 0)
            {
                axes.Add(axis.Name);
                if (!strides.Contains(N(axis.Stride)))
                {
                    strides.Add(N(axis.Stride));
                }

                sizes.Add(axis.SizeArg);
            }
        }

        problems.Add(Make(DiagnosticIds.SamePaddingAtRunTime, new[] { "Padding" }, spec.ClassName, g.PaddingRule.ToString(), string.Join(" and ", strides),
            string.Join(" and ", axes), string.Join(" and ", sizes)));
    }

    /// <summary>
    /// A square layer usually has the same problem on both axes, written on the same argument (P = 4 with K = 3):
    /// one diagnostic naming both axes reads better than two that differ in one word.
    /// </summary>
    private static IEnumerable<Problem> MergeAxes(List<Problem> rows, List<Problem> columns)
    {
        var merged = new List<Problem>();
        var remaining = new List<Problem>(columns);
        foreach (Problem row in rows)
        {
            Problem? twin = remaining.Find(c => c.Id == row.Id && c.Arguments == row.Arguments && Neutral(c.MessageArgs) == Neutral(row.MessageArgs));
            if (twin is null)
            {
                merged.Add(row);
                continue;
            }

            remaining.Remove(twin);
            var args = new string[row.MessageArgs.Length];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = row.MessageArgs[i] switch
                {
                    "row" => "row(s) and column",
                    "height" => "height and width",
                    _ => row.MessageArgs[i],
                };
            }

            merged.Add(row with { MessageArgs = new EquatableArray<string>(args) });
        }

        merged.AddRange(remaining);
        return merged;
    }

    private static string Neutral(EquatableArray<string> args)
        => string.Join("|", System.Linq.Enumerable.Select(args, a => a switch { "row" or "column" => "axis", "height" or "width" => "extent", _ => a }));

    /// <summary>Products that a span, an array or a generated <c>const int</c> cannot hold are rejected before anything is generated.</summary>
    private static bool CheckSize(LayerSpec spec, LayerGeometry g, List<Problem> problems)
    {
        const long Max = int.MaxValue;
        string name = spec.ClassName;
        var found = new List<(string Arg, string What, long Value)>();
        List<Axis> axes = Axes(spec, g);
        string KName(Axis a) => a.Letter.Length == 0 ? "K" : "K" + a.Letter;
        string tapsLabel = string.Join("*", axes.Select(KName));
        long taps = (long)g.KernelD * g.KernelH * g.KernelW;
        if (taps > Max)
        {
            found.Add((spec.K.IsSet ? "K" : Written(spec, axes[0].KernelArgs), "taps per filter " + tapsLabel, taps));
        }

        foreach (Axis a in axes)
        {
            long dilated = ConvArithmetic.DilatedKernel(a.Kernel, a.Dilation);
            string p = a.Letter.Length == 0 ? "P" : "P" + a.Letter, d = a.Letter.Length == 0 ? "D" : "D" + a.Letter;
            (long extent, string what) = spec.Kind == LayerKind.Transposed
                ? ((long)a.Size * a.Stride + 2 * dilated + a.OutputPad, $"upsampled extent {a.SizeArg}*S{a.Letter} + 2*({d}*({KName(a)}-1) + 1)")
                : ((long)a.Size + a.PadBegin + a.PadEnd + dilated, $"padded extent {a.SizeArg} + 2*{p} + {d}*({KName(a)}-1) + 1");
            if (extent > Max)
            {
                string arg = IsWritten(spec, Written(spec, a.PadBeginArgs)) ? Written(spec, a.PadBeginArgs)
                    : IsWritten(spec, Written(spec, a.DilationArgs)) ? Written(spec, a.DilationArgs) : a.SizeArg;
                found.Add((arg, what, extent));
            }
        }

        if (g.HasStaticChannels)
        {
            (long weights, string what) = spec.Kind == LayerKind.Separable
                ? ((long)g.InChannels * g.DepthMultiplier * taps + (long)g.OutChannels * g.InChannels * g.DepthMultiplier,
                    "weights Cin*M*" + tapsLabel + " + Cout*Cin*M")
                : ((long)g.OutChannels * (g.InChannels / g.Groups) * taps, (spec.Kind == LayerKind.Transposed ? "weights Cin*(Cout/G)*" : "weights Cout*(Cin/G)*") + tapsLabel);
            if (weights > Max)
            {
                found.Add(("OutChannels", what, weights));
            }
        }

        if (found.Count == 0 && g.HasStaticSize && spec.Kind != LayerKind.Transposed)
        {
            // The zero-bordered copy the kernel reads; its rows are rounded up to a multiple of the stride.
            long paddedW = g.InW + (long)g.PadW + g.PadRight;
            long depth = spec.Dimensions == 3 ? g.InD + (long)g.PadFront + g.PadBack : 1;
            long staged = depth * (g.InH + (long)g.PadH + g.PadBottom) * ((paddedW + g.StrideW - 1) / g.StrideW * g.StrideW);
            staged *= g.HasStaticChannels ? g.InChannels : 1;
            if (staged > Max)
            {
                string factors = string.Join("*", axes.Select(a => $"({a.SizeArg} + 2*{(a.Letter.Length == 0 ? "P" : "P" + a.Letter)})"));
                found.Add((axes[0].SizeArg, g.HasStaticChannels ? "padded input InChannels*" + factors : "padded plane " + factors, staged));
            }
        }

        if (found.Count > 0)
        {
            // One is enough: the others usually follow from the same oversized argument.
            problems.Add(Make(DiagnosticIds.LayerTooLarge, new[] { found[0].Arg }, name, found[0].What, N(found[0].Value)));
        }

        return found.Count > 0;
    }

    private static Problem Make(string id, string[] arguments, params string[] messageArgs)
        => new(id, new EquatableArray<string>(arguments), new EquatableArray<string>(messageArgs));

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
