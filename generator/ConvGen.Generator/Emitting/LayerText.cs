using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Model;
using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// How a layer of any kind and dimension reads in the generated header and as a <c>ConvGeometry</c> literal. A 2-D
/// convolution with symmetric zero padding and no activation reads exactly as it always has.
/// </summary>
internal static class LayerText
{
    /// <summary>One axis of a layer, begin to end: depth, height, width (1-D layers have only the width, called length).</summary>
    internal readonly record struct Axis(string Name, string Short, string Size, int In, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd, int OutputPad)
    {
        public bool Symmetric => PadBegin == PadEnd;
    }

    public static Axis[] Axes(LayerGeometry g)
    {
        var axes = new List<Axis>();
        if (g.Dimensions == 3)
        {
            axes.Add(new Axis("depth", "D", "D", g.InD, g.KernelD, g.StrideD, g.DilationD, g.PadFront, g.PadBack, g.OutputPadD));
        }

        if (g.Dimensions >= 2)
        {
            axes.Add(new Axis("height", "H", "H", g.InH, g.KernelH, g.StrideH, g.DilationH, g.PadH, g.PadBottom, g.OutputPadH));
        }

        axes.Add(new Axis(g.Dimensions == 1 ? "length" : "width", g.Dimensions == 1 ? "L" : "W", g.Dimensions == 1 ? "L" : "W",
            g.InW, g.KernelW, g.StrideW, g.DilationW, g.PadW, g.PadRight, g.OutputPadW));
        return axes.ToArray();
    }

    public static bool IsPlain2d(LayerGeometry g)
        => g.Kind == LayerKind.Convolution && g.Dimensions == 2 && g.PaddingRule == LayerPaddingRule.Explicit
           && g.PaddingMode == LayerPaddingMode.Zeros && g.Activation == LayerActivation.None && g.PadBottom == g.PadH && g.PadRight == g.PadW;

    private static string Join(Axis[] axes, System.Func<Axis, string> part) => string.Join("x", System.Linq.Enumerable.Select(axes, part));

    public static string KindName(LayerGeometry g) => g.Kind switch
    {
        LayerKind.Transposed => "ConvTranspose",
        LayerKind.Separable => "SeparableConv",
        _ => "Conv",
    } + N(g.Dimensions) + "d";

    /// <summary>The first header line: "Conv2d 3 -> 32, kernel 3x3, stride 2x2, padding 1x1, ...".</summary>
    public static string Title(LayerGeometry g, string cin, string cout)
    {
        Axis[] axes = Axes(g);
        string padding = Join(axes, a => a.Symmetric ? N(a.PadBegin) : $"{a.PadBegin}+{a.PadEnd}");
        padding = g.PaddingRule switch
        {
            LayerPaddingRule.Same or LayerPaddingRule.SameLower when !g.PadsKnownAtBuildTime
                => $"{Rule(g.PaddingRule)} (decided per input size)",
            LayerPaddingRule.Same or LayerPaddingRule.SameLower => $"{Rule(g.PaddingRule)} = {padding} (begin+end where they differ)",
            LayerPaddingRule.Valid => "valid = " + padding,
            _ => axes.Length > 0 && System.Array.TrueForAll(axes, a => a.Symmetric) ? padding : padding + " (begin+end)",
        };
        if (g.PaddingMode != LayerPaddingMode.Zeros)
        {
            padding += " " + g.PaddingMode.ToString().ToLowerInvariant();
        }

        string text = $"{KindName(g)} {cin} -> {cout}, kernel {Join(axes, a => N(a.Kernel))}, stride {Join(axes, a => N(a.Stride))}, padding {padding}, dilation {Join(axes, a => N(a.Dilation))}";
        if (g.Kind == LayerKind.Transposed)
        {
            text += $", output padding {Join(axes, a => N(a.OutputPad))}";
        }

        text += g.Kind == LayerKind.Separable ? $", depth multiplier {g.DepthMultiplier}" : $", groups {g.Groups}";
        text += g.HasBias ? ", bias" : ", no bias";
        if (g.Activation != LayerActivation.None)
        {
            text += ", then " + g.Activation + (g.Activation == LayerActivation.LeakyReLU ? "(" + F(g.NegativeSlope) + ")" : "");
        }

        return text;
    }

    private static string Rule(LayerPaddingRule rule) => rule == LayerPaddingRule.SameLower ? "same-lower" : "same";

    /// <summary>"[32, 3, 3, 3] = 864 weights" (or the symbolic product when channels come from the constructor).</summary>
    public static string Weights(LayerGeometry g, string cin, string cout)
    {
        string kernel = string.Join(", ", System.Linq.Enumerable.Select(Axes(g), a => N(a.Kernel)));
        int taps = g.Taps;
        if (g.Kind == LayerKind.Separable)
        {
            string mid = g.HasStaticChannels ? N((long)g.InChannels * g.DepthMultiplier) : g.DepthMultiplier == 1 ? "Cin" : $"Cin*{g.DepthMultiplier}";
            string count = g.HasStaticChannels ? N(WeightCount(g)) + " weights" : $"{mid}*{taps} + {cout}*{mid} weights";
            return $"depthwise [{mid}, 1, {kernel}] then pointwise [{cout}, {mid}, 1, 1] = {count}";
        }

        bool transposed = g.Kind == LayerKind.Transposed;
        string first = transposed ? cin : cout;
        string second = g.HasStaticChannels
            ? N(transposed ? g.OutChannelsPerGroup : g.InChannelsPerGroup)
            : g.Groups == 1 ? (transposed ? "Cout" : "Cin") : $"{(transposed ? "Cout" : "Cin")}/{g.Groups}";
        string total = g.HasStaticChannels ? N(WeightCount(g)) + " weights" : $"{first}*{second}*{taps} weights";
        return $"[{first}, {second}, {kernel}] = {total}";
    }

    public static long WeightCount(LayerGeometry g) => g.Kind == LayerKind.Separable
        ? (long)g.InChannels * g.DepthMultiplier * g.Taps + (long)g.OutChannels * g.InChannels * g.DepthMultiplier
        : ConvArithmetic.WeightCount(g.InChannels, g.OutChannels, g.Groups, g.KernelH, g.KernelW) * g.KernelD;

    /// <summary>"[N, 3, H, W]", with static sizes as numbers.</summary>
    public static string Input(LayerGeometry g, string cin)
    {
        var parts = new List<string> { "N", cin };
        foreach (Axis a in Axes(g))
        {
            parts.Add(a.In > 0 ? N(a.In) : a.Size);
        }

        return "[" + string.Join(", ", parts) + "]" + (g.HasStaticSize ? " (static)" : "");
    }

    /// <summary>The output size formula of one axis, in numbers where the size is static.</summary>
    public static string Formula(LayerGeometry g, Axis a, string sizeName)
    {
        if (g.Kind == LayerKind.Transposed)
        {
            long constant = -(long)a.PadBegin - a.PadEnd + ConvArithmetic.DilatedKernel(a.Kernel, a.Dilation) + a.OutputPad - a.Stride;
            string text = $"({sizeName} - 1)*{a.Stride} - {a.PadBegin} - {a.PadEnd} + {a.Dilation}*({a.Kernel}-1) + {a.OutputPad} + 1";
            if (a.In > 0)
            {
                return text.Replace(sizeName, N(a.In)) + " = " + N(ConvArithmetic.TransposedOutputSize(a.In, a.Kernel, a.PadBegin, a.PadEnd, a.Stride, a.Dilation, a.OutputPad));
            }

            string scaled = a.Stride == 1 ? sizeName : $"{a.Stride}*{sizeName}";
            return text + " = " + (constant == 0 ? scaled : constant > 0 ? $"{scaled} + {constant}" : $"{scaled} - {-constant}");
        }

        if (!g.PadsKnownAtBuildTime)
        {
            return $"ceil({sizeName} / {a.Stride}) ('same')";
        }

        if (a.Symmetric)
        {
            return KernelDims.Formula(a.In, sizeName, a.Kernel, a.PadBegin, a.Stride, a.Dilation);
        }

        string pads = $"{a.PadBegin} + {a.PadEnd}";
        if (a.In > 0)
        {
            return $"floor(({a.In} + {pads} - {a.Dilation}*({a.Kernel}-1) - 1) / {a.Stride}) + 1 = {N(ConvArithmetic.OutputSize(a.In, a.Kernel, a.PadBegin, a.PadEnd, a.Stride, a.Dilation))}";
        }

        long c = (long)a.PadBegin + a.PadEnd - ConvArithmetic.DilatedKernel(a.Kernel, a.Dilation);
        string simplified = c == 0 ? sizeName : c > 0 ? $"{sizeName} + {c}" : $"{sizeName} - {-c}";
        return $"floor(({sizeName} + {pads} - {a.Dilation}*({a.Kernel}-1) - 1) / {a.Stride}) + 1 = "
            + (a.Stride == 1 ? (c + 1 == 0 ? sizeName : c + 1 > 0 ? $"{sizeName} + {c + 1}" : $"{sizeName} - {-(c + 1)}") : $"floor(({simplified}) / {a.Stride}) + 1");
    }

    /// <summary>
    /// A <c>ConvGeometry</c> expression for the layer: the 2-D constructor, then an initializer with whatever differs from
    /// its defaults. 'same' and 'valid' layers carry the rule with zero pads, so the run time resolves the pads itself
    /// (to the same numbers the kernel bakes in).
    /// </summary>
    public static string GeometryLiteral(LayerGeometry g, string cin, string cout)
    {
        bool rule = g.PaddingRule != LayerPaddingRule.Explicit;
        int ph = rule ? 0 : g.PadH, pw = rule ? 0 : g.PadW;
        int inH = g.Dimensions == 1 ? 0 : g.InH;
        string ctor = $"new global::ConvGen.ConvGeometry({cin}, {cout}, {g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {ph}, {pw}, {g.DilationH}, {g.DilationW}, {g.Groups}, {(g.HasBias ? "true" : "false")}, {inH}, {g.InW})";
        var init = new List<string>();
        void Add(bool when, string text)
        {
            if (when)
            {
                init.Add(text);
            }
        }

        Add(g.Kind != LayerKind.Convolution, "Kind = global::ConvGen.ConvKind." + (g.Kind == LayerKind.Transposed ? "Transposed" : "Separable"));
        Add(g.Dimensions != 2, "Dimensions = " + N(g.Dimensions));
        Add(g.KernelD != 1, "KernelD = " + N(g.KernelD));
        Add(g.StrideD != 1, "StrideD = " + N(g.StrideD));
        Add(g.DilationD != 1, "DilationD = " + N(g.DilationD));
        Add(!rule && g.PadFront != 0, "PadFront = " + N(g.PadFront));
        Add(!rule && g.PadBack != 0, "PadBack = " + N(g.PadBack));
        Add(!rule && g.PadBottom != g.PadH, "PadBottom = " + N(g.PadBottom));
        Add(!rule && g.PadRight != g.PadW, "PadRight = " + N(g.PadRight));
        Add(g.OutputPadD != 0, "OutputPadD = " + N(g.OutputPadD));
        Add(g.OutputPadH != 0, "OutputPadH = " + N(g.OutputPadH));
        Add(g.OutputPadW != 0, "OutputPadW = " + N(g.OutputPadW));
        Add(g.DepthMultiplier != 1, "DepthMultiplier = " + N(g.DepthMultiplier));
        Add(rule, "PaddingRule = global::ConvGen.PaddingRule." + g.PaddingRule);
        Add(g.PaddingMode != LayerPaddingMode.Zeros, "PaddingMode = global::ConvGen.PaddingMode." + g.PaddingMode);
        Add(g.Activation != LayerActivation.None, "Activation = global::ConvGen.Activation." + g.Activation);
        Add(g.Activation == LayerActivation.LeakyReLU, "NegativeSlope = " + F(g.NegativeSlope));
        Add(g.InD != 0, "StaticInD = " + N(g.InD));
        return init.Count == 0 ? ctor : ctor + " { " + string.Join(", ", init) + " }";
    }

    /// <summary>A float literal that round-trips.</summary>
    public static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
