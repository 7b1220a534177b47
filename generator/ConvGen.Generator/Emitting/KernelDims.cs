using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Model;
using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// The sizes a kernel's inner code refers to by name. Each is a <c>const</c> of the kernel class when the attribute
/// fixes it, otherwise a parameter computed once per Forward; the loop bodies read the same either way, and with
/// consts the JIT sees literals.
/// </summary>
internal sealed class KernelDims
{
    private readonly List<(string Type, string Name, long? Value, string Expression, string Why)> _dims = new();

    public KernelDims(LayerGeometry g)
    {
        G = g;
        bool w = g.HasStaticWidth, h = g.HasStaticHeight, c = g.HasStaticChannels;
        long phase = w ? (g.InW + (long)g.PadW + g.PadRight + g.StrideW - 1) / g.StrideW : 0;
        long rowStride = g.NeedsStaging ? (g.StrideW * phase + 15) / 16 * 16 : g.InW;
        long planeRows = g.InH + (long)g.PadH + g.PadBottom;
        bool symmetric = g.PadBottom == g.PadH && g.PadRight == g.PadW;
        long outW = w ? g.OutW : 0, outH = h ? g.OutH : 0;

        if (g.IsFlatPointwise)
        {
            // Pointwise: each plane is one row of H*W pixels (see LayerGeometry.IsFlatPointwise).
            bool hw = w && h && (g.Dimensions < 3 || g.HasStaticDepth);
            long depth = g.Dimensions == 3 ? System.Math.Max(1, g.InD) : 1;
            if (g.Dimensions == 3)
            {
                // A 3-D pointwise layer with unit depth stride: each channel's whole volume is one row.
                Add("int", "OW", hw ? depth * outH * outW : null, "o.D * o.H * o.W", "pixels per channel, treated as one row");
                Add("int", "OH", 1, "1", "one row per channel");
                Add("int", "CoutG", c ? g.OutChannelsPerGroup : null, $"o.C / {g.Groups}", "output channels (filters) per group");
                Add("nint", "PhaseLen", hw ? depth * g.InH * g.InW : null, "s.D * s.H * (nint)s.W", "input channel, read as one row");
                Add("nint", "RowStride", hw ? depth * g.InH * g.InW : null, "PhaseLen", "one row per channel");
                Add("nint", "PlaneStride", hw ? depth * g.InH * g.InW : null, "PhaseLen", "floats per input channel");
                Add("nint", "OutPlane", hw ? depth * outH * outW : null, "OW", "floats per output channel");
                Add("int", "CinG", c ? g.InChannelsPerGroup : null, $"s.C / {g.Groups}", "input channels per group");
                Add("int", "WOc", c ? (long)g.InChannelsPerGroup : null, "CinG", "weights per filter: CinG");
                return;
            }

            Add("int", "OW", hw ? outH * outW : null, "o.H * o.W", "pixels per plane, treated as one row");
            Add("int", "OH", 1, "1", "one row per plane");
            Add("int", "CoutG", c ? g.OutChannelsPerGroup : null, $"o.C / {g.Groups}", "output channels (filters) per group");
            Add("nint", "PhaseLen", hw ? (long)g.InH * g.InW : null, "s.H * (nint)s.W", "input plane, read as one row");
            Add("nint", "RowStride", hw ? (long)g.InH * g.InW : null, "PhaseLen", "one row per plane");
            Add("nint", "PlaneStride", hw ? (long)g.InH * g.InW : null, "PhaseLen", "floats per input plane");
            Add("nint", "OutPlane", hw ? outH * outW : null, "OW", "floats per output plane");
            Add("int", "CinG", c ? g.InChannelsPerGroup : null, $"s.C / {g.Groups}", "input channels per group");
            Add("int", "WOc", c ? (long)g.InChannelsPerGroup * g.Taps : null, $"CinG * {g.Taps}", "weights per filter: CinG * Kh * Kw");
            return;
        }

        if (g.HasDepthLoop)
        {
            AddDepth(g, w, h, c, phase, rowStride, planeRows, outW, outH);
            return;
        }

        Add("int", "OW", w ? outW : null, "o.W", "output width");
        Add("int", "OH", h ? outH : null, "o.H", "output height");
        Add("int", "CoutG", c ? g.OutChannelsPerGroup : null, $"o.C / {g.Groups}", "output channels (filters) per group");
        Add("nint", "PhaseLen", w ? (g.NeedsStaging ? phase : g.InW) : null,
            !g.NeedsStaging ? "s.W"
                : symmetric ? $"global::ConvGen.Internal.PlaneStaging.PhaseLength(s.W, {g.PadW}, {g.StrideW})"
                : $"global::ConvGen.Internal.PlaneStaging.PhaseLength(s.W, {g.PadW}, {g.PadRight}, {g.StrideW})",
            !g.NeedsStaging ? "input row length"
                : symmetric ? $"floats per column phase of a staged row: ceil((W + 2*{g.PadW}) / {g.StrideW})"
                : $"floats per column phase of a staged row: ceil((W + {g.PadW} + {g.PadRight}) / {g.StrideW})");
        Add("nint", "RowStride", w ? rowStride : null, g.NeedsStaging ? $"({g.StrideW} * PhaseLen + 15) / 16 * 16" : "s.W",
            g.NeedsStaging ? $"floats per staged row: {g.StrideW} phase(s) of PhaseLen, rounded up to 64 bytes so rows start on a cache line" : "floats per input row");
        Add("nint", "PlaneStride", w && h ? (g.NeedsStaging ? planeRows * rowStride : (long)g.InH * g.InW) : null,
            g.NeedsStaging ? $"(s.H + {g.PadH + g.PadBottom}) * RowStride" : "s.H * (nint)s.W",
            !g.NeedsStaging ? "floats per input plane"
                : symmetric ? $"floats per staged plane: (H + 2*{g.PadH}) rows"
                : $"floats per staged plane: (H + {g.PadH} + {g.PadBottom}) rows");
        Add("nint", "OutPlane", w && h ? outH * outW : null, "o.H * (nint)o.W", "floats per output plane");
        Add("int", "CinG", c ? g.InChannelsPerGroup : null, $"s.C / {g.Groups}", "input channels per group");
        Add("int", "WOc", c ? (long)g.InChannelsPerGroup * g.Taps : null, $"CinG * {g.Taps}", "weights per filter: CinG * Kh * Kw");
    }

    /// <summary>
    /// A 3-D kernel's sizes: the same row and plane terms as 2-D, with PlaneStride and OutPlane widened to a whole
    /// channel (all its depth planes), so the loops that step between channels read as they do in 2-D, and
    /// DepthStride/OutDepth for the steps between planes.
    /// </summary>
    private void AddDepth(LayerGeometry g, bool w, bool h, bool c, long phase, long rowStride, long planeRows, long outW, long outH)
    {
        bool d = g.HasStaticDepth;
        long depthPlanes = g.InD + (long)g.PadFront + g.PadBack;
        long plane = g.NeedsStaging ? planeRows * rowStride : (long)g.InH * g.InW;
        Add("int", "OW", w ? outW : null, "o.W", "output width");
        Add("int", "OH", h ? outH : null, "o.H", "output height");
        Add("int", "OD", d && h && w ? g.OutD : null, "o.D", "output depth");
        Add("int", "CoutG", c ? g.OutChannelsPerGroup : null, $"o.C / {g.Groups}", "output channels (filters) per group");
        Add("nint", "PhaseLen", w ? (g.NeedsStaging ? phase : g.InW) : null,
            !g.NeedsStaging ? "s.W"
                : $"global::ConvGen.Internal.PlaneStaging.PhaseLength(s.W, {g.PadW}, {g.PadRight}, {g.StrideW})",
            g.NeedsStaging ? $"floats per column phase of a staged row: ceil((W + {g.PadW} + {g.PadRight}) / {g.StrideW})" : "input row length");
        Add("nint", "RowStride", w ? rowStride : null, g.NeedsStaging ? $"({g.StrideW} * PhaseLen + 15) / 16 * 16" : "s.W",
            g.NeedsStaging ? $"floats per staged row: {g.StrideW} phase(s) of PhaseLen, rounded up to 64 bytes so rows start on a cache line" : "floats per input row");
        Add("nint", "DepthStride", w && h ? plane : null,
            g.NeedsStaging ? $"(s.H + {g.PadH + g.PadBottom}) * RowStride" : "s.H * (nint)s.W",
            g.NeedsStaging ? $"floats per staged plane: (H + {g.PadH} + {g.PadBottom}) rows" : "floats per input plane");
        Add("nint", "PlaneStride", w && h && d ? (g.NeedsStaging ? depthPlanes : g.InD) * plane : null,
            g.NeedsStaging ? $"(s.D + {g.PadFront + g.PadBack}) * DepthStride" : "s.D * DepthStride",
            g.NeedsStaging ? $"floats per staged channel: (D + {g.PadFront} + {g.PadBack}) planes" : "floats per input channel: D planes");
        Add("nint", "OutDepth", w && h ? outH * outW : null, "o.H * (nint)o.W", "floats per output plane");
        Add("nint", "OutPlane", w && h && d ? g.OutD * outH * outW : null, "o.D * OutDepth", "floats per output channel: OD planes");
        Add("int", "CinG", c ? g.InChannelsPerGroup : null, $"s.C / {g.Groups}", "input channels per group");
        Add("int", "WOc", c ? (long)g.InChannelsPerGroup * g.Taps : null, $"CinG * {g.Taps}", "weights per filter: CinG * Kd * Kh * Kw");
    }

    public LayerGeometry G { get; }

    private void Add(string type, string name, long? value, string expression, string why)
        => _dims.Add((type, name, value, expression, why));

    /// <summary>Declarations of the fixed sizes, as class-level consts.</summary>
    public IEnumerable<string> ConstDeclarations()
    {
        foreach (var d in _dims)
        {
            if (d.Value is long v)
            {
                yield return $"private const {d.Type} {d.Name} = {v.ToString(CultureInfo.InvariantCulture)}; // {d.Why}";
            }
        }
    }

    /// <summary>Locals computing the run-time sizes from the shapes <c>s</c> (input) and <c>o</c> (output).</summary>
    public IEnumerable<string> RuntimeDeclarations()
    {
        foreach (var d in _dims)
        {
            if (d.Value is null)
            {
                yield return $"{d.Type} {d.Name} = {d.Expression}; // {d.Why}";
            }
        }
    }

    /// <summary>", int OW, nint RowStride..." for the run-time sizes a row method needs.</summary>
    public string Parameters()
    {
        var text = new System.Text.StringBuilder();
        foreach (var d in _dims)
        {
            if (d.Value is null)
            {
                text.Append(", ").Append(d.Type).Append(' ').Append(d.Name);
            }
        }

        return text.ToString();
    }

    /// <summary>", OW, RowStride..." matching <see cref="Parameters"/>.</summary>
    public string Arguments()
    {
        var text = new System.Text.StringBuilder();
        foreach (var d in _dims)
        {
            if (d.Value is null)
            {
                text.Append(", ").Append(d.Name);
            }
        }

        return text.ToString();
    }

    public bool IsStatic(string name)
    {
        foreach (var d in _dims)
        {
            if (d.Name == name)
            {
                return d.Value is not null;
            }
        }

        return false;
    }

    public long Value(string name)
    {
        foreach (var d in _dims)
        {
            if (d.Name == name && d.Value is long v)
            {
                return v;
            }
        }

        throw new KeyNotFoundException(name);
    }

    /// <summary>
    /// Offset of tap (ky, kx) from the staged row of an output row, for output pixel 0: ky·Dh rows down, then column
    /// kx·Dw of the padded row, which sits in phase (kx·Dw mod Sw) at index kx·Dw / Sw. A literal when the width is fixed.
    /// </summary>
    public string TapOffset(int ky, int kx) => Offset((long)ky * G.DilationH, kx);

    /// <summary>Offset of staged row <paramref name="rows"/> below the base row, at the column of tap <paramref name="kx"/>.</summary>
    public string Offset(long rows, int kx)
    {
        long column = (long)kx * G.DilationW;
        long phase = column % G.StrideW, index = column / G.StrideW;
        if (IsStatic("RowStride"))
        {
            return (rows * Value("RowStride") + phase * Value("PhaseLen") + index).ToString(CultureInfo.InvariantCulture);
        }

        var terms = new List<string>();
        if (rows != 0)
        {
            terms.Add(rows == 1 ? "RowStride" : rows.ToString(CultureInfo.InvariantCulture) + " * RowStride");
        }

        if (phase != 0)
        {
            terms.Add(phase == 1 ? "PhaseLen" : phase.ToString(CultureInfo.InvariantCulture) + " * PhaseLen");
        }

        if (index != 0 || terms.Count == 0)
        {
            terms.Add(index.ToString(CultureInfo.InvariantCulture));
        }

        return terms.Count == 1 ? terms[0] : "(" + string.Join(" + ", terms) + ")";
    }

    /// <summary>Offset of weight (r, ky, kx) from filter r = 0 of the tile at the current input channel.</summary>
    public string WeightOffset(int r, int ky, int kx)
    {
        int tap = ky * G.KernelW + kx;
        if (r == 0)
        {
            return tap.ToString(CultureInfo.InvariantCulture);
        }

        if (IsStatic("WOc"))
        {
            return (r * Value("WOc") + tap).ToString(CultureInfo.InvariantCulture);
        }

        string scaled = r == 1 ? "WOc" : r.ToString(CultureInfo.InvariantCulture) + " * WOc";
        return tap == 0 ? scaled : scaled + " + " + tap.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Offset of output plane r from the tile's first output plane.</summary>
    public string OutputPlaneOffset(int r)
    {
        if (r == 0)
        {
            return "0";
        }

        if (IsStatic("OutPlane"))
        {
            return (r * Value("OutPlane")).ToString(CultureInfo.InvariantCulture);
        }

        return r == 1 ? "OutPlane" : r.ToString(CultureInfo.InvariantCulture) + " * OutPlane";
    }

    public static string Formula(int size, string sizeName, int kernel, int pad, int stride, int dilation)
    {
        string inner = $"({sizeName} + 2*{pad} - {dilation}*({kernel}-1) - 1) / {stride}";
        if (size > 0)
        {
            long result = ConvArithmetic.OutputSize(size, kernel, pad, pad, stride, dilation);
            return $"floor(({size} + 2*{pad} - {dilation}*({kernel}-1) - 1) / {stride}) + 1 = {result}";
        }

        long constant = 2L * pad - ConvArithmetic.DilatedKernel(kernel, dilation);
        string simplified = constant == 0 ? sizeName : constant > 0 ? $"{sizeName} + {constant}" : $"{sizeName} - {-constant}";
        long growth = constant + 1;
        string unitStride = growth == 0 ? sizeName : growth > 0 ? $"{sizeName} + {growth}" : $"{sizeName} - {-growth}";
        return stride == 1
            ? $"floor({inner}) + 1 = {unitStride}"
            : $"floor({inner}) + 1 = floor(({simplified}) / {stride}) + 1";
    }
}
