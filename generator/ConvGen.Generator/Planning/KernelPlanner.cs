using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Planning;

/// <summary>Decides how a valid layer is generated. Pure and shared with the analyzer, which reports fallbacks.</summary>
internal static class KernelPlanner
{
    /// <summary>
    /// Taps unrolled per input channel. Beyond this the emitted source grows past what is reasonable to compile for
    /// every build (each tap is one load and one multiply-add per accumulator, per vector width) while the extra
    /// unrolling no longer pays: a 9x9 kernel's inner loop is already long enough to hide loop overhead.
    /// </summary>
    public const int MaxUnrolledTaps = 64;

    /// <summary>Accumulators per tile: 8 output channels fit in 16 vector registers with the input vector and a broadcast.</summary>
    public const int MaxOcTile = 8;

    /// <summary>Tile for layers whose channel count is only known at run time.</summary>
    public const int DynamicOcTile = 4;

    public static KernelPlan Plan(LayerSpec spec)
    {
        LayerGeometry g = spec.Resolve();
        var shell = new KernelPlan
        {
            Namespace = spec.Namespace,
            ClassName = spec.ClassName,
            AttributeName = spec.AttributeName,
            Keyword = spec.Keyword,
            ContainingTypes = spec.ContainingTypes,
            HintName = HintName(spec),
            Geometry = g,
        };
        int[] widths = spec.HasVector512 ? new[] { 512, 256, 128 } : new[] { 256, 128 };
        if (g.Kind == LayerKind.Transposed)
        {
            return WithBackward(PlanTransposed(shell, g, widths), widths);
        }

        if (g.Kind == LayerKind.Separable)
        {
            return PlanSeparable(shell, g, widths);
        }

        return WithBackward(PlanConvolution(shell, g, widths, spec.AllowWinograd), widths);
    }

    /// <summary>
    /// Adds the input-gradient kernels of a specialized convolution or transposed layer with static channels. The
    /// gradient of a convolution with respect to its input is the transposed convolution with the same weight array
    /// (PyTorch's OIHW is exactly ConvTranspose's [in, out/G, kH, kW] with in and out swapped), and the reverse; so the
    /// forward planners make them, with zero padding, no bias and no activation. A non-zero padding mode's gradient
    /// is taken for the padded input and folded back by the runtime.
    /// </summary>
    private static KernelPlan WithBackward(KernelPlan plan, int[] widths)
    {
        LayerGeometry g = plan.Geometry;
        if (!plan.IsSpecialized || !g.HasStaticChannels)
        {
            return plan;
        }

        string stem = plan.HintName.Substring(0, plan.HintName.Length - ".ConvLayer.g.cs".Length);
        LayerGeometry twin = InputGradientGeometry(g);
        if (g.OutputPadD >= g.StrideD || g.OutputPadH >= g.StrideH || g.OutputPadW >= g.StrideW)
        {
            // Output padding of a stride or more (allowed with dilation) makes the twin convolution's output longer
            // than this layer's input.
            return plan;
        }

        KernelPlan shell = plan with
        {
            HintName = $"{stem}_InputGradient.ConvLayer.g.cs",
            Geometry = twin,
            FallbackReason = null,
            Phases = null,
            PrePadded = null,
            Winograd = null,
            WinogradWhyNot = null,
            Tiles = EquatableArray<TileShape>.Empty,
            NarrowTiles = EquatableArray<TileShape>.Empty,
        };
        KernelPlan backward = g.Kind == LayerKind.Convolution
            ? PlanTransposed(shell, twin, widths)
            : PlanConvolution(shell, twin, widths, allowWinograd: false);
        return backward.IsSpecialized ? plan with { BackwardData = backward } : plan;
    }

    /// <summary>
    /// The layer whose forward pass is <paramref name="g"/>'s input gradient: channels swapped, the same kernel, stride,
    /// dilation and groups, no bias or activation. A convolution's transposed twin has no padding: it makes the
    /// gradient of the padded input, which the runtime crops (zeros) or folds back (other modes). Cropping inside the
    /// transposed layer would need an output padding that depends on the size (the rows a stride leaves unread).
    /// A transposed layer's twin is the convolution with the same pads.
    /// </summary>
    public static LayerGeometry InputGradientGeometry(LayerGeometry g)
    {
        bool transposed = g.Kind == LayerKind.Transposed;
        int P(int pad) => transposed ? pad : 0;
        long outD = g.Dimensions == 3 && g.HasStaticDepth ? g.OutD : 0;
        long outH = g.Dimensions != 1 && g.HasStaticHeight ? g.OutH : g.Dimensions == 1 ? 1 : 0;
        long outW = g.HasStaticWidth ? g.OutW : 0;
        return new LayerGeometry(g.OutChannels, g.InChannels, g.KernelH, g.KernelW, g.StrideH, g.StrideW, P(g.PadH), P(g.PadW),
            g.DilationH, g.DilationW, g.Groups, false, (int)outH, (int)outW)
        {
            Kind = transposed ? LayerKind.Convolution : LayerKind.Transposed,
            Dimensions = g.Dimensions,
            KernelD = g.KernelD,
            StrideD = g.StrideD,
            DilationD = g.DilationD,
            InD = (int)outD,
            PadBottom = P(g.PadBottom),
            PadRight = P(g.PadRight),
            PadFront = P(g.PadFront),
            PadBack = P(g.PadBack),
        };
    }

    /// <summary>A convolution's kernel: register tiles per vector width, Winograd where it pays, or the general kernel's reason.</summary>
    private static KernelPlan PlanConvolution(KernelPlan shell, LayerGeometry g, int[] widths, bool allowWinograd)
    {
        string? reason = Emitting.EmitterSupport.WhyGeneral(g);
        if (reason is null && g.PlaneTaps > MaxUnrolledTaps)
        {
            reason = string.Format(CultureInfo.InvariantCulture,
                "its {0}x{1} kernel has {2} taps per input channel, above the unroll budget of {3}", g.KernelH, g.KernelW, g.PlaneTaps, MaxUnrolledTaps);
        }

        int ocTile, remainder;
        if (g.HasStaticChannels)
        {
            int coutG = g.OutChannelsPerGroup;
            ocTile = coutG < MaxOcTile ? coutG : MaxOcTile;
            remainder = coutG % ocTile;
        }
        else
        {
            ocTile = DynamicOcTile;
            remainder = 1;
        }

        WinogradPlan? winograd = null;
        string? whyNot = null;
        if (reason is null && g.Dimensions == 2)
        {
            winograd = WinogradPlanner.Choose(g, allowWinograd, out whyNot);
        }

        bool padsOtherwise = g.PaddingMode != LayerPaddingMode.Zeros || g.PadBottom != g.PadH || g.PadRight != g.PadW;
        if (reason is null && winograd is null && padsOtherwise && g.Dimensions == 2 && g.HasStaticSize && g.PadsKnownAtBuildTime)
        {
            // Winograd on the input padded first: the same layer with no padding over the padded size.
            LayerGeometry padded = new LayerGeometry(g.InChannels, g.OutChannels, g.KernelH, g.KernelW, g.StrideH, g.StrideW, 0, 0,
                g.DilationH, g.DilationW, g.Groups, g.HasBias, g.InH + g.PadH + g.PadBottom, g.InW + g.PadW + g.PadRight)
            {
                Activation = g.Activation,
                NegativeSlope = g.NegativeSlope,
            };
            string stem = shell.HintName.Substring(0, shell.HintName.Length - ".ConvLayer.g.cs".Length);
            KernelPlan inner = PlanConvolution(shell with { HintName = $"{stem}_Padded.ConvLayer.g.cs" }, padded, widths, allowWinograd);
            if (inner.Winograd is not null)
            {
                return inner with
                {
                    HintName = shell.HintName,
                    Geometry = g,
                    PrePadded = inner,
                    WinogradWhyNot = null,
                };
            }
        }

        TileShape[] tiles = reason is null ? System.Array.ConvertAll(widths, b => NoHoistInDepth(TilePlanner.Choose(b, g), g)) : System.Array.Empty<TileShape>();
        return shell with
        {
            Geometry = g,
            FallbackReason = reason,
            OcTile = ocTile,
            OcRemainderTile = remainder,
            Winograd = winograd,
            WinogradWhyNot = whyNot,
            VectorWidths = new EquatableArray<int>(widths),
            Tiles = new EquatableArray<TileShape>(tiles),
            NarrowTiles = new EquatableArray<TileShape>(reason is null ? NarrowTiles(g, tiles) : System.Array.Empty<TileShape>()),
        };
    }

    /// <summary>One-vector tiles for the widths whose main tile has several vectors, when the width is known only at run time.</summary>
    private static TileShape[] NarrowTiles(LayerGeometry g, TileShape[] mainTiles)
    {
        if (g.HasStaticWidth || g.IsFlatPointwise)
        {
            return System.Array.Empty<TileShape>();
        }

        var narrow = new System.Collections.Generic.List<TileShape>();
        foreach (TileShape main in mainTiles)
        {
            TileShape tile = NoHoistInDepth(TilePlanner.Choose(main.Bits, g, maxVectors: 1), g);

            // A row of n < V vectors keeps n/V of the main tile's work; the one-vector tile wastes none. It serves the
            // rows where that beats the main tile by the cost model: n/V * main score < narrow score.
            int upTo = 0;
            for (int n = 1; n < main.Vectors; n++)
            {
                if (n * main.Score / main.Vectors < tile.Score)
                {
                    upTo = n;
                }
            }

            if (upTo > 0)
            {
                narrow.Add(tile with
                {
                    Narrow = true,
                    NarrowUpTo = upTo,
                    Why = tile.Why.Replace("any width", $"rows of at most {upTo} vector(s) ({upTo * tile.Lanes} pixels)"),
                });
            }
        }

        return narrow.ToArray();
    }

    /// <summary>
    /// A separable layer: a specialized depthwise kernel (valid, over a band of padded input rows the layer copies
    /// out) and a specialized pointwise kernel (1×1 with the bias and the activation), run a band at a time.
    /// </summary>
    private static KernelPlan PlanSeparable(KernelPlan shell, LayerGeometry g, int[] widths)
    {
        if (!g.HasStaticChannels)
        {
            return shell with
            {
                FallbackReason = "separable layers with channels from the constructor run the general kernel (the depthwise half's groups are its channels)",
                VectorWidths = new EquatableArray<int>(widths),
            };
        }

        int middle = g.InChannels * g.DepthMultiplier;
        int paddedWidth = g.HasStaticWidth && g.PadsKnownAtBuildTime ? g.InW + g.PadW + g.PadRight : 0;
        var depthwise = new LayerGeometry(g.InChannels, middle, g.KernelH, g.KernelW, g.StrideH, g.StrideW, 0, 0, g.DilationH, g.DilationW, g.InChannels, false, 0, paddedWidth);
        var pointwise = new LayerGeometry(middle, g.OutChannels, 1, 1, 1, 1, 0, 0, 1, 1, 1, g.HasBias, 0, 0)
        {
            Activation = g.Activation,
            NegativeSlope = g.NegativeSlope,
        };
        string stem = shell.HintName.Substring(0, shell.HintName.Length - ".ConvLayer.g.cs".Length);
        KernelPlan dw = PlanConvolution(shell with { HintName = $"{stem}_Depthwise.ConvLayer.g.cs" }, depthwise, widths, allowWinograd: false);
        KernelPlan pw = PlanConvolution(shell with { HintName = $"{stem}_Pointwise.ConvLayer.g.cs" }, pointwise, widths, allowWinograd: false);
        if (!dw.IsSpecialized)
        {
            return shell with { FallbackReason = "its depthwise half " + dw.FallbackReason, VectorWidths = new EquatableArray<int>(widths) };
        }

        return shell with
        {
            VectorWidths = new EquatableArray<int>(widths),
            Depthwise = dw,
            Pointwise = pw,
        };
    }

    /// <summary>A transposed layer: one convolution kernel per output phase, or the general kernel's reason.</summary>
    private static KernelPlan PlanTransposed(KernelPlan shell, LayerGeometry g, int[] widths)
    {
        var split = TransposedPlanner.Split(g, out string? whyNot);
        if (split is null)
        {
            return shell with
            {
                FallbackReason = whyNot,
                VectorWidths = new EquatableArray<int>(widths),
            };
        }

        var phases = new List<PhasePlan>();
        string stem = shell.HintName.Substring(0, shell.HintName.Length - ".ConvLayer.g.cs".Length);
        for (int i = 0; i < split.Count; i++)
        {
            var p = split[i];
            KernelPlan phase = PlanConvolution(shell with { HintName = $"{stem}_Phase{i}.ConvLayer.g.cs" }, p.Geometry, widths, allowWinograd: false);
            phases.Add(new PhasePlan(p.Height.R, p.Width.R, p.Height.First, p.Width.First, p.Height.Q, p.Width.Q, p.Height.M, p.Width.M, phase)
            {
                Rd = p.Depth.R, FirstD = p.Depth.First, Qd = p.Depth.Q, Md = p.Depth.M,
            });
        }

        return shell with
        {
            VectorWidths = new EquatableArray<int>(widths),
            Phases = new EquatableArray<PhasePlan>(phases.ToArray()),
        };
    }

    /// <summary>A 3-D kernel changes weights with every depth tap, so none stay in registers across the plane.</summary>
    private static TileShape NoHoistInDepth(TileShape tile, LayerGeometry g)
        => g.HasDepthLoop && tile.HoistWeights ? tile with { HoistWeights = false, Why = tile.Why.Replace($", {g.Taps} weights held in registers", "") } : tile;

    private static string HintName(LayerSpec spec)
        => HintNames.For(spec.Namespace, spec.ContainingTypes, spec.ClassName, ".ConvLayer.g.cs");
}
