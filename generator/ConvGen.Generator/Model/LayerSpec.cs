using ConvGen.Generator.Helpers;
using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Model;

/// <summary>
/// Everything the generator needs from one ConvGen layer class (<c>[ConvLayer]</c>, <c>[Conv1dLayer]</c>, ...), as
/// equatable primitives: no symbols, syntax or locations, so the incremental pipeline can cache on it.
/// </summary>
/// <remarks>
/// Every argument of every attribute has a member here; an attribute that lacks a property (Kd on a 2-D layer) simply
/// never sets it, since the compiler rejects writing it.
/// </remarks>
internal sealed record LayerSpec
{
    public string Namespace { get; init; } = "";
    public string ClassName { get; init; } = "";
    public bool IsPartial { get; init; }
    public int TypeParameterCount { get; init; }
    public bool IsGeneric => TypeParameterCount > 0;

    /// <summary>"class" or "record": the keyword the generated partial declaration must repeat.</summary>
    public string Keyword { get; init; } = "class";
    public bool IsStatic { get; init; }
    public bool IsAbstract { get; init; }
    public EquatableArray<ContainingType> ContainingTypes { get; init; } = EquatableArray<ContainingType>.Empty;

    /// <summary>False when an argument did not bind to a constant (half-typed code): nothing is generated or checked.</summary>
    public bool IsWellFormed { get; init; } = true;

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; init; } = LayerKind.Convolution;

    /// <summary>Spatial dimensions: 1, 2 or 3.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>The attribute's name as written in source without the suffix, e.g. "Conv1dLayer", for messages.</summary>
    public string AttributeName { get; init; } = "ConvLayer";

    /// <summary>Other ConvGen layer attributes on the same class (by name), which make the class ambiguous.</summary>
    public EquatableArray<string> OtherAttributes { get; init; } = EquatableArray<string>.Empty;

    public IntArgument K { get; init; }
    public IntArgument Kd { get; init; }
    public IntArgument Kh { get; init; }
    public IntArgument Kw { get; init; }
    public IntArgument P { get; init; }
    public IntArgument Ph { get; init; }
    public IntArgument Pw { get; init; }
    public IntArgument Pd { get; init; }
    public IntArgument PadTop { get; init; }
    public IntArgument PadBottom { get; init; }
    public IntArgument PadLeft { get; init; }
    public IntArgument PadRight { get; init; }
    public IntArgument PadFront { get; init; }
    public IntArgument PadBack { get; init; }
    public IntArgument S { get; init; }
    public IntArgument Sh { get; init; }
    public IntArgument Sw { get; init; }
    public IntArgument Sd { get; init; }
    public IntArgument D { get; init; }
    public IntArgument Dh { get; init; }
    public IntArgument Dw { get; init; }
    public IntArgument Dd { get; init; }
    public IntArgument OutputPadding { get; init; }
    public IntArgument OutputPaddingD { get; init; }
    public IntArgument OutputPaddingH { get; init; }
    public IntArgument OutputPaddingW { get; init; }
    public IntArgument DepthMultiplier { get; init; }
    public IntArgument Groups { get; init; }
    public IntArgument InChannels { get; init; }
    public IntArgument OutChannels { get; init; }
    public IntArgument InH { get; init; }
    public IntArgument InW { get; init; }
    public IntArgument InD { get; init; }
    public IntArgument InL { get; init; }
    public bool Bias { get; init; } = true;

    /// <summary>The <c>Padding</c> argument's <c>PaddingRule</c> value (0 = Explicit when not written).</summary>
    public int Padding { get; init; }

    /// <summary>The <c>PaddingMode</c> argument's value (0 = Zeros when not written).</summary>
    public int PaddingMode { get; init; }

    /// <summary>The <c>Activation</c> argument's value (0 = None when not written).</summary>
    public int Activation { get; init; }

    /// <summary>The <c>NegativeSlope</c> argument (0.01 when not written).</summary>
    public float NegativeSlope { get; init; } = 0.01f;

    /// <summary>Whether <c>NegativeSlope</c> was written.</summary>
    public bool NegativeSlopeIsSet { get; init; }

    /// <summary>False when the attribute turns Winograd off (<c>Winograd = false</c>).</summary>
    public bool AllowWinograd { get; init; } = true;

    /// <summary>Whether the Vector512 type exists in the consumer's framework (net8.0+).</summary>
    public bool HasVector512 { get; init; } = true;

    /// <summary>The geometry with defaults and shorthands applied. Only meaningful once validation found no error.</summary>
    public LayerGeometry Resolve()
    {
        bool oneD = Dimensions == 1, threeD = Dimensions == 3;
        bool transposed = Kind == LayerKind.Transposed;
        var rule = (LayerPaddingRule)Padding;

        // 1-D layers lie on the width axis; their height axis is a static 1 with a 1-tap kernel (see LayerGeometry).
        int kd = threeD ? IntArgument.Resolve(Kd, K, 0) : 1;
        int kh = oneD ? 1 : IntArgument.Resolve(Kh, K, 0);
        int kw = IntArgument.Resolve(Kw, K, 0);
        int sd = threeD ? IntArgument.Resolve(Sd, S, 1) : 1;
        int sh = oneD ? 1 : IntArgument.Resolve(Sh, S, 1);
        int sw = IntArgument.Resolve(Sw, S, 1);
        int dd = threeD ? IntArgument.Resolve(Dd, D, 1) : 1;
        int dh = oneD ? 1 : IntArgument.Resolve(Dh, D, 1);
        int dw = IntArgument.Resolve(Dw, D, 1);
        int inD = threeD ? InD.Or(0) : 0;
        int inH = oneD ? 1 : InH.Or(0);
        int inW = oneD ? InL.Or(0) : InW.Or(0);
        int opd = threeD ? IntArgument.Resolve(OutputPaddingD, OutputPadding, 0) : 0;
        int oph = oneD ? 0 : IntArgument.Resolve(OutputPaddingH, OutputPadding, 0);
        int opw = IntArgument.Resolve(OutputPaddingW, OutputPadding, 0);

        bool known = true;
        (int Begin, int End) Pads(bool used, IntArgument begin, IntArgument end, IntArgument axis, int size, int k, int s, int d, int op)
        {
            if (!used)
            {
                return (0, 0);
            }

            switch (rule)
            {
                case LayerPaddingRule.Explicit:
                    return (begin.IsSet ? begin.Value : IntArgument.Resolve(axis, P, 0), end.IsSet ? end.Value : IntArgument.Resolve(axis, P, 0));
                case LayerPaddingRule.Same:
                case LayerPaddingRule.SameLower:
                    // The total D*(K-1) of a stride-1 convolution, and a transposed layer's D*(K-1)+1+OP-S, do not
                    // depend on the size; otherwise the size must be static.
                    if (!transposed && s > 1 && size <= 0)
                    {
                        known = false;
                        return (0, 0);
                    }

                    long total = ConvArithmetic.SameTotalPadding(size > 0 ? size : 1, k, s, d, transposed, op);
                    (long b, long e) = ConvArithmetic.SplitSamePadding(total < 0 ? 0 : total, rule == LayerPaddingRule.SameLower);
                    return ((int)b, (int)e);
                default:
                    return (0, 0);
            }
        }

        (int front, int back) = Pads(threeD, PadFront, PadBack, Pd, inD, kd, sd, dd, opd);
        (int top, int bottom) = Pads(!oneD, PadTop, PadBottom, Ph, inH, kh, sh, dh, oph);
        (int left, int right) = Pads(true, PadLeft, PadRight, oneD ? IntArgument.Unset : Pw, inW, kw, sw, dw, opw);

        return new LayerGeometry(
            InChannels: InChannels.Or(0),
            OutChannels: OutChannels.Or(0),
            KernelH: kh,
            KernelW: kw,
            StrideH: sh,
            StrideW: sw,
            PadH: top,
            PadW: left,
            DilationH: dh,
            DilationW: dw,
            Groups: Kind == LayerKind.Separable ? 1 : Groups.Or(1),
            HasBias: Bias,
            InH: inH,
            InW: inW)
        {
            Kind = Kind,
            Dimensions = Dimensions,
            KernelD = kd,
            StrideD = sd,
            DilationD = dd,
            InD = inD,
            PadBottom = bottom,
            PadRight = right,
            PadFront = front,
            PadBack = back,
            OutputPadD = opd,
            OutputPadH = oph,
            OutputPadW = opw,
            DepthMultiplier = Kind == LayerKind.Separable ? DepthMultiplier.Or(1) : 1,
            PaddingRule = rule,
            PaddingMode = (LayerPaddingMode)PaddingMode,
            Activation = (LayerActivation)Activation,
            NegativeSlope = NegativeSlope,
            PadsKnownAtBuildTime = known,
        };
    }
}
