using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Emitting;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Shared;
using ConvGen.Generator.Validation;

namespace ConvGen.Generator.Networks;

/// <summary>
/// Follows a network's input shape through its layers in declaration order. Every layer is checked against the
/// shape that actually reaches it (channels, dimensions, features, sizes, and the layer's own validation re-run with
/// that size as its static input), so a stack that does not chain is reported on the field where it breaks, with both
/// numbers. For a network that chains, it counts parameters and multiply-adds, the receptive field, and plans the
/// activation memory.
/// </summary>
internal static class NetworkPlanner
{
    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var problems = new List<NetworkProblem>();
        var steps = new List<NetworkStep>();
        bool canEmit = spec.IsWellFormed;
        string name = spec.Type.ClassName;

        CheckDeclaration(spec, problems);
        Activations? input = InputShape(spec, problems);
        if (spec.Members.Length == 0)
        {
            problems.Add(new NetworkProblem(DiagnosticIds.NetworkEmpty, NetworkProblem.OnClassName, Args(name)));
        }

        for (int i = 0; i < spec.Members.Length; i++)
        {
            if (spec.Members[i].Kind == MemberKind.NotALayer)
            {
                NetworkMember m = spec.Members[i];
                problems.Add(new NetworkProblem(DiagnosticIds.NetworkFieldNotALayer, i, Args(m.FieldName, name, m.TypeDisplay)));
            }
        }

        var rf = new ReceptiveField();
        if (input is { } start && spec.IsWellFormed)
        {
            Activations current = start;
            string source = "the network input";
            for (int i = 0; i < spec.Members.Length; i++)
            {
                NetworkMember m = spec.Members[i];
                if (m.Kind == MemberKind.NotALayer)
                {
                    canEmit = false;
                    break;
                }

                var context = new StepContext(i, m, current, source, problems);
                NetworkStep? step = m.Kind switch
                {
                    MemberKind.Convolution => Convolution(context, rf),
                    MemberKind.MaxPool or MemberKind.AvgPool => Pool(context, rf),
                    MemberKind.Linear => Linear(context, rf),
                    MemberKind.Flatten => Simple(context, rf, "Flatten", current with { Dimensions = 1, Flat = true, C = (int)current.Size, D = 1, H = 1, W = 1 }),
                    _ => GlobalPool(context, rf),
                };

                if (step is null)
                {
                    // The layer's own errors, or an error here, leave no shape to follow further.
                    canEmit = false;
                    break;
                }

                if (m.ResidualFrom is not null)
                {
                    step = Residual(context, step, steps);
                }

                steps.Add(step);
                current = step.Out;
                source = "'" + m.FieldName + "'";
            }
        }
        else
        {
            canEmit = false;
        }

        canEmit &= problems.Count == 0 && steps.Count > 0;
        var plan = new NetworkPlan
        {
            Type = spec.Type,
            Problems = new EquatableArray<NetworkProblem>(problems.ToArray()),
            CanEmit = canEmit,
        };
        if (!canEmit)
        {
            return plan;
        }

        MemoryPlan memory = PlanMemory(steps, input!.Value);
        return plan with
        {
            GeneratesConstructor = !spec.HasInstanceConstructor,
            Input = input.Value,
            Output = steps[steps.Count - 1].Out,
            Steps = new EquatableArray<NetworkStep>(memory.Steps),
            ParameterCount = steps.Sum(s => s.Parameters),
            MultiplyAccumulates = steps.Sum(s => s.MultiplyAccumulates),
            ReceptiveFieldD = rf.Size(0),
            ReceptiveFieldH = rf.Size(1),
            ReceptiveFieldW = rf.Size(2),
            ReceptiveFieldThrough = rf.Through,
            ScratchSize = memory.Arena,
            PingPongSize = memory.PingPong,
            PeakActivationSize = memory.Peak,
            PeakLayer = memory.PeakLayer,
        };
    }

    private static void CheckDeclaration(NetworkSpec spec, List<NetworkProblem> problems)
    {
        DeclaredType t = spec.Type;
        void Add(string reason) => problems.Add(new NetworkProblem(DiagnosticIds.NetworkDeclarationInvalid, NetworkProblem.OnClassName, Args(t.ClassName, reason)));
        if (!t.IsPartial)
        {
            Add("must be declared partial so that ConvGen can add its forward pass");
        }

        foreach (ContainingType outer in t.ContainingTypes)
        {
            if (!outer.IsPartial)
            {
                Add($"is inside '{outer.NameWithTypeParameters}', which must be declared partial too");
            }
        }

        if (t.TypeParameterCount > 0)
        {
            Add("cannot be generic: its layers and shapes are fixed at build time");
        }

        if (t.IsStatic || t.IsAbstract)
        {
            Add($"is {(t.IsStatic ? "static" : "abstract")}; a network is a concrete class whose instances own their layers");
        }
    }

    private static Activations? InputShape(NetworkSpec spec, List<NetworkProblem> problems)
    {
        string name = spec.Type.ClassName;
        var reasons = new List<string>();
        if (!spec.InChannels.IsSet || spec.InChannels.Value < 1)
        {
            reasons.Add(spec.InChannels.IsSet ? $"InChannels = {N(spec.InChannels.Value)} must be at least 1" : "InChannels is missing");
        }

        foreach ((string arg, IntArgument value) in new[] { ("InL", spec.InL), ("InD", spec.InD), ("InH", spec.InH), ("InW", spec.InW) })
        {
            if (value.IsSet && value.Value < 1)
            {
                reasons.Add($"{arg} = {N(value.Value)} must be at least 1");
            }
        }

        int dims = 0;
        if (spec.InL.IsSet && !spec.InD.IsSet && !spec.InH.IsSet && !spec.InW.IsSet)
        {
            dims = 1;
        }
        else if (!spec.InL.IsSet && spec.InH.IsSet && spec.InW.IsSet)
        {
            dims = spec.InD.IsSet ? 3 : 2;
        }
        else
        {
            reasons.Add("give InL (1-D, NCL), or InH and InW (2-D, NCHW), or InD, InH and InW (3-D, NCDHW)");
        }

        if (reasons.Count > 0)
        {
            problems.Add(new NetworkProblem(DiagnosticIds.NetworkInputInvalid, NetworkProblem.OnAttribute, Args(name, string.Join("; ", reasons))));
            return null;
        }

        var shape = new Activations(dims, false, spec.InChannels.Value, dims == 3 ? spec.InD.Value : 1, dims == 1 ? 1 : spec.InH.Value,
            dims == 1 ? spec.InL.Value : spec.InW.Value);
        if (shape.Size > int.MaxValue)
        {
            problems.Add(new NetworkProblem(DiagnosticIds.NetworkInputInvalid, NetworkProblem.OnAttribute,
                Args(name, $"{shape.Text} holds {N(shape.Size)} values, more than a span can index")));
            return null;
        }

        return shape;
    }

    /// <summary>What every layer check needs: which field, what reaches it and from where, and where problems go.</summary>
    private sealed record StepContext(int Index, NetworkMember Member, Activations In, string Source, List<NetworkProblem> Problems)
    {
        public string Field => Member.FieldName;

        public void Report(string id, params string[] args)
            => Problems.Add(new NetworkProblem(id, Index, new EquatableArray<string>(args)));

        public NetworkStep Step(string computes, Activations output, long parameters, long macs, string rf)
            => new(Member.FieldName, Member.TypeName, Member.TypeDisplay, Member.Kind, computes, In, output, parameters, macs, rf,
                StepTarget.Arena, 0, Member.HasInitializer);
    }

    private static NetworkStep? Convolution(StepContext c, ReceptiveField rf)
    {
        LayerSpec spec = c.Member.Convolution!;
        if (!spec.IsWellFormed || LayerValidator.HasErrors(LayerValidator.Validate(spec)))
        {
            return null;
        }

        string type = c.Member.TypeDisplay;
        LayerGeometry own = spec.Resolve();
        if (!own.HasStaticChannels)
        {
            c.Report(DiagnosticIds.NetworkLayerChannelsUnknown, c.Field, type);
            return null;
        }

        if (c.In.Flat || c.In.Dimensions != spec.Dimensions)
        {
            c.Report(DiagnosticIds.NetworkLayerDoesNotFit, c.Field, type, c.In.Text, c.Source,
                $"it is a {spec.Dimensions}-D layer ({Layout(spec.Dimensions)} data) but receives {(c.In.Flat ? "flattened features" : Layout(c.In.Dimensions) + " data")}");
            return null;
        }

        bool ok = true;
        if (own.InChannels != c.In.C)
        {
            c.Report(DiagnosticIds.NetworkChannelMismatch, c.Field, type, N(own.InChannels), c.Source, N(c.In.C), c.In.Text);
            ok = false;
        }

        // The layer's own static size, where it declares one, must be the size that reaches it.
        var sizes = new List<(string Arg, IntArgument Declared, int Actual)>();
        if (spec.Dimensions == 1)
        {
            sizes.Add(("InL", spec.InL, c.In.W));
        }
        else
        {
            if (spec.Dimensions == 3)
            {
                sizes.Add(("InD", spec.InD, c.In.D));
            }

            sizes.Add(("InH", spec.InH, c.In.H));
            sizes.Add(("InW", spec.InW, c.In.W));
        }

        var mismatched = sizes.Where(s => s.Declared.IsSet && s.Declared.Value != s.Actual).ToArray();
        if (mismatched.Length > 0)
        {
            c.Report(DiagnosticIds.NetworkLayerDoesNotFit, c.Field, type, c.In.Text, c.Source,
                $"it declares {string.Join(", ", mismatched.Select(m => m.Arg + " = " + N(m.Declared.Value)))} but the size that reaches it is "
                + string.Join("x", mismatched.Select(m => N(m.Actual))));
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        // Re-validate the layer with the size that reaches it as its static input: every shape rule a layer has
        // (sizes reaching 0, reflect padding wider than the input, ...) then speaks about this network.
        LayerSpec atSize = spec.Dimensions switch
        {
            1 => spec with { InL = new IntArgument(true, c.In.W) },
            3 => spec with { InD = new IntArgument(true, c.In.D), InH = new IntArgument(true, c.In.H), InW = new IntArgument(true, c.In.W) },
            _ => spec with { InH = new IntArgument(true, c.In.H), InW = new IntArgument(true, c.In.W) },
        };
        foreach (Problem problem in LayerValidator.Validate(atSize))
        {
            DiagnosticDescriptorInfo info = DiagnosticDescriptorInfo.Of(problem);
            if (!info.IsError)
            {
                continue;
            }

            // One diagnostic per layer: the first rule it breaks (an axis that collapses usually collapses them all).
            if (problem.Id is DiagnosticIds.OutputSizeNotPositive or DiagnosticIds.TransposedOutputNotPositive)
            {
                c.Report(DiagnosticIds.NetworkSizeNotPositive, c.Field, type, c.In.Text, c.Source, "size", "less than 1", info.Message);
            }
            else
            {
                c.Report(DiagnosticIds.NetworkLayerDoesNotFit, c.Field, type, c.In.Text, c.Source, info.Message);
            }

            return null;
        }

        if (!ok)
        {
            return null;
        }

        LayerGeometry g = atSize.Resolve();
        var output = new Activations(spec.Dimensions, false, g.OutChannels,
            spec.Dimensions == 3 ? (int)g.OutD : 1, spec.Dimensions == 1 ? 1 : (int)g.OutH, (int)g.OutW);
        long inSpatial = (long)c.In.D * c.In.H * c.In.W, outSpatial = (long)output.D * output.H * output.W;
        long macs = g.Kind switch
        {
            LayerKind.Transposed => inSpatial * g.InChannels * g.OutChannelsPerGroup * g.Taps,
            LayerKind.Separable => outSpatial * g.InChannels * g.DepthMultiplier * ((long)g.Taps + g.OutChannels),
            _ => outSpatial * g.OutChannels * g.InChannelsPerGroup * g.Taps,
        };
        foreach (LayerText.Axis axis in LayerText.Axes(g))
        {
            int index = axis.Short switch { "D" => 0, "H" => 1, _ => 2 };
            if (g.Kind == LayerKind.Transposed)
            {
                long span = ConvArithmetic.DilatedKernel(axis.Kernel, axis.Dilation);
                rf.Add(index, (span + axis.Stride - 1) / axis.Stride - 1, 1.0 / axis.Stride);
            }
            else
            {
                rf.Add(index, (long)(axis.Kernel - 1) * axis.Dilation, axis.Stride);
            }
        }

        rf.Counted(c.Field);
        return c.Step(Computes(g), output, LayerText.WeightCount(g) + (g.HasBias ? g.OutChannels : 0), macs, rf.Text(spec.Dimensions));
    }

    private static NetworkStep? Pool(StepContext c, ReceptiveField rf)
    {
        PoolSpec spec = c.Member.Pool!;
        if (!spec.IsWellFormed || LayerValidator.HasErrors(SimpleLayerValidator.Validate(spec)))
        {
            return null;
        }

        string type = c.Member.TypeDisplay;
        if (c.In.Flat)
        {
            c.Report(DiagnosticIds.NetworkLayerDoesNotFit, c.Field, type, c.In.Text, c.Source, "pooling needs spatial axes, and the features were already flattened");
            return null;
        }

        int k = spec.K.Value, s = spec.Stride, p = spec.Padding;
        int[] sizes = { c.In.D, c.In.H, c.In.W };
        string[] names = { "depth", "height", c.In.Dimensions == 1 ? "length" : "width" };
        var outSizes = new int[3];
        for (int axis = 0; axis < 3; axis++)
        {
            if (!HasAxis(c.In.Dimensions, axis))
            {
                outSizes[axis] = 1;
                continue;
            }

            long size = ConvArithmetic.FloorDiv((long)sizes[axis] + 2L * p - k, s) + 1;
            if (size < 1)
            {
                c.Report(DiagnosticIds.NetworkSizeNotPositive, c.Field, type, c.In.Text, c.Source, names[axis], N(size),
                    $"floor(({N(sizes[axis])} + 2*{N(p)} - {N(k)}) / {N(s)}) + 1; the window K = {N(k)} is larger than the padded {names[axis]} {N(sizes[axis] + 2L * p)}");
                return null;
            }

            outSizes[axis] = (int)size;
            rf.Add(axis, k - 1, s);
        }

        rf.Counted(c.Field);
        string window = string.Join("x", Enumerable.Range(0, 3).Where(a => HasAxis(c.In.Dimensions, a)).Select(_ => N(k)));
        string computes = $"{(spec.IsMax ? "MaxPool" : "AvgPool")}{c.In.Dimensions}d {window}" + (s != k ? $" s{N(s)}" : "") + (p > 0 ? $" p{N(p)}" : "");
        return c.Step(computes, c.In with { D = outSizes[0], H = outSizes[1], W = outSizes[2] }, 0, 0, rf.Text(c.In.Dimensions));
    }

    private static NetworkStep? Linear(StepContext c, ReceptiveField rf)
    {
        LinearSpec spec = c.Member.Linear!;
        if (!spec.IsWellFormed || LayerValidator.HasErrors(SimpleLayerValidator.Validate(spec)))
        {
            return null;
        }

        if (c.In.Size != spec.InFeatures.Value)
        {
            string product = c.In.Flat ? N(c.In.Size) : string.Join(" x ", c.In.Text.Trim('[', ']').Split(new[] { ", " }, StringSplitOptions.None));
            c.Report(DiagnosticIds.NetworkFeaturesMismatch, c.Field, c.Member.TypeDisplay, N(spec.InFeatures.Value), c.Source,
                c.In.Flat ? c.In.Text : c.In.Text + " (flattened: " + product + ")", N(c.In.Size));
            return null;
        }

        rf.Stop();
        string computes = $"Linear {N(spec.InFeatures.Value)} -> {N(spec.OutFeatures.Value)}" + Activation(spec.Activation, spec.NegativeSlope);
        var output = new Activations(1, true, spec.OutFeatures.Value, 1, 1, 1);
        return c.Step(computes, output, spec.ParameterCount, (long)spec.InFeatures.Value * spec.OutFeatures.Value, "all");
    }

    private static NetworkStep? GlobalPool(StepContext c, ReceptiveField rf)
    {
        if (c.In.Flat)
        {
            c.Report(DiagnosticIds.NetworkLayerDoesNotFit, c.Field, c.Member.TypeDisplay, c.In.Text, c.Source,
                "global pooling needs spatial axes, and the features were already flattened");
            return null;
        }

        return Simple(c, rf, $"GlobalAvgPool{c.In.Dimensions}d", c.In with { D = 1, H = 1, W = 1 });
    }

    private static NetworkStep Simple(StepContext c, ReceptiveField rf, string computes, Activations output)
    {
        rf.Stop();
        return c.Step(computes, output, 0, 0, "all");
    }

    /// <summary>
    /// Checks a <c>[Residual]</c> field: the source is an earlier layer field with the same output shape, and the layer
    /// computes (a flatten has no output of its own to add to). A problem is reported and the add left out of the step.
    /// </summary>
    private static NetworkStep Residual(StepContext c, NetworkStep step, List<NetworkStep> earlier)
    {
        string from = c.Member.ResidualFrom!;
        int source = earlier.FindIndex(s => s.FieldName == from);
        string? why = from.Length == 0 ? "but names no field"
            : from == c.Field ? "itself: a residual adds an earlier layer's output"
            : source < 0 ? "which is not an earlier layer field of this network"
            : c.Member.Kind == MemberKind.Flatten ? "but a flatten moves no values; put the residual on a layer that computes"
            : null;
        if (why is not null)
        {
            c.Report(DiagnosticIds.NetworkResidualSourceInvalid, c.Field, c.Member.TypeDisplay, from, why);
            return step;
        }

        Activations added = earlier[source].Out;
        if (added.Text != step.Out.Text || added.Flat != step.Out.Flat)
        {
            c.Report(DiagnosticIds.NetworkResidualShapeMismatch, c.Field, c.Member.TypeDisplay, step.Out.Text, from, added.Text);
            return step;
        }

        return step with
        {
            Computes = step.Computes + ", + " + from + Activation(c.Member.ResidualActivation, c.Member.ResidualSlope),
            ResidualSource = source,
            ResidualActivation = c.Member.ResidualActivation,
            ResidualSlope = c.Member.ResidualSlope,
        };
    }

    /// <summary>"Conv2d 5x5 p2, ReLU", "ConvTranspose2d 4x4 s2 p1", "SeparableConv2d 3x3 p1": the summary's short form.</summary>
    private static string Computes(LayerGeometry g)
    {
        LayerText.Axis[] axes = LayerText.Axes(g);
        string Join(Func<LayerText.Axis, int> part) => string.Join("x", axes.Select(a => N(part(a))));
        string text = LayerText.KindName(g) + " " + Join(a => a.Kernel);
        if (axes.Any(a => a.Stride != 1))
        {
            text += " s" + (axes.All(a => a.Stride == axes[0].Stride) ? N(axes[0].Stride) : Join(a => a.Stride));
        }

        if (axes.Any(a => a.PadBegin != 0 || a.PadEnd != 0))
        {
            text += axes.All(a => a.PadBegin == axes[0].PadBegin && a.PadEnd == axes[0].PadBegin)
                ? " p" + N(axes[0].PadBegin)
                : " p" + string.Join("x", axes.Select(a => a.PadBegin == a.PadEnd ? N(a.PadBegin) : N(a.PadBegin) + "+" + N(a.PadEnd)));
        }

        if (g.PaddingMode != LayerPaddingMode.Zeros)
        {
            text += " " + g.PaddingMode.ToString().ToLowerInvariant();
        }

        if (axes.Any(a => a.Dilation != 1))
        {
            text += " d" + Join(a => a.Dilation);
        }

        if (g.Groups > 1)
        {
            text += g.Groups == g.InChannels && g.Groups == g.OutChannels ? " depthwise" : " g" + N(g.Groups);
        }

        return text + Activation((int)g.Activation, g.NegativeSlope);
    }

    private static string Activation(int activation, float slope) => activation switch
    {
        0 => "",
        3 => ", LeakyReLU(" + slope.ToString("R", CultureInfo.InvariantCulture) + ")",
        _ => ", " + ((LayerActivation)activation).ToString(),
    };

    private sealed record MemoryPlan(NetworkStep[] Steps, long Arena, long PingPong, long Peak, string PeakLayer);

    /// <summary>
    /// Places every intermediate output in one scratch arena. An output lives from the layer that writes it to the
    /// last layer that reads it (the next layer, or a later residual add). A plain chain only ever needs one layer's
    /// input and output alive: outputs alternate between the arena's bottom and its top, so the arena is the largest
    /// pair of consecutive outputs, never more than two ping-pong buffers. With residual adds, outputs are placed
    /// largest first at the lowest offset free for their whole lifetime (the greedy-by-size plan of TFLite's arena
    /// planner). Flatten moves nothing (its output is its input), and the last computing layer writes straight into
    /// the caller's output.
    /// </summary>
    private static MemoryPlan PlanMemory(List<NetworkStep> steps, Activations input)
    {
        int last = steps.FindLastIndex(s => s.Kind != MemberKind.Flatten);
        var storage = new int[steps.Count]; // -1: the network input; i: step i's own output
        var lastUse = new Dictionary<int, int>();
        void Use(int owner, int step) => lastUse[owner] = lastUse.TryGetValue(owner, out int t) ? Math.Max(t, step) : step;
        for (int i = 0; i < steps.Count; i++)
        {
            bool view = steps[i].Kind == MemberKind.Flatten;
            int before = i == 0 ? -1 : storage[i - 1];
            storage[i] = view ? before : i;
            if (!view)
            {
                Use(before, i);
                Use(i, i);
            }

            if (steps[i].ResidualSource >= 0)
            {
                Use(storage[steps[i].ResidualSource], i);
            }
        }

        long Size(int owner) => owner < 0 ? input.Size : steps[owner].Out.Size;
        List<int> buffers = Enumerable.Range(0, steps.Count).Where(i => steps[i].Kind != MemberKind.Flatten && i != last).ToList();
        var offsets = new Dictionary<int, long>();
        long arena = 0;
        if (steps.All(s => s.ResidualSource < 0))
        {
            for (int b = 0; b < buffers.Count; b++)
            {
                arena = Math.Max(arena, Size(buffers[b]) + (b + 1 < buffers.Count ? Size(buffers[b + 1]) : 0));
            }

            for (int b = 0; b < buffers.Count; b++)
            {
                offsets[buffers[b]] = b % 2 == 0 ? 0 : arena - Size(buffers[b]);
            }
        }
        else
        {
            foreach (int owner in buffers.OrderByDescending(Size).ThenBy(b => b))
            {
                // Placed outputs alive at the same time as this one, by offset: take the first gap it fits in.
                long offset = 0;
                foreach ((long begin, long end) in offsets
                    .Where(p => p.Key <= lastUse[owner] && owner <= lastUse[p.Key])
                    .Select(p => (p.Value, p.Value + Size(p.Key)))
                    .OrderBy(r => r.Item1))
                {
                    if (offset + Size(owner) <= begin)
                    {
                        break;
                    }

                    offset = Math.Max(offset, end);
                }

                offsets[owner] = offset;
                arena = Math.Max(arena, offset + Size(owner));
            }
        }

        var placed = steps.ToArray();
        for (int i = 0; i < placed.Length; i++)
        {
            placed[i] = placed[i] with
            {
                Target = placed[i].Kind == MemberKind.Flatten ? StepTarget.View : i == last ? StepTarget.Output : StepTarget.Arena,
                ArenaOffset = offsets.TryGetValue(i, out long offset) ? offset : 0,
            };
        }

        // For comparison: two buffers the outputs alternate between, plus one buffer per output a residual keeps.
        var kept = new HashSet<int>(steps.Where(s => s.ResidualSource >= 0).Select(s => storage[s.ResidualSource]));
        long even = 0, odd = 0;
        int alternate = 0;
        foreach (int owner in buffers.Where(b => !kept.Contains(b)))
        {
            if (alternate++ % 2 == 0)
            {
                even = Math.Max(even, Size(owner));
            }
            else
            {
                odd = Math.Max(odd, Size(owner));
            }
        }

        long pingPong = even + odd + kept.Where(k => k >= 0 && k != last).Sum(Size);

        // The most floats alive at once: every output (the input and the caller's output included) over its lifetime.
        long peak = 0;
        string peakLayer = "";
        for (int t = 0; t < steps.Count; t++)
        {
            if (steps[t].Kind == MemberKind.Flatten)
            {
                continue;
            }

            long live = lastUse.Where(p => p.Key <= t && t <= p.Value).Sum(p => Size(p.Key));
            if (live > peak)
            {
                peak = live;
                peakLayer = steps[t].FieldName;
            }
        }

        return new MemoryPlan(placed, arena, pingPong, peak, peakLayer);
    }

    private static bool HasAxis(int dimensions, int axis) => axis == 2 || (axis == 1 && dimensions >= 2) || (axis == 0 && dimensions == 3);

    private static string Layout(int dimensions) => dimensions switch { 1 => "NCL", 3 => "NCDHW", _ => "NCHW" };

    private static EquatableArray<string> Args(params string[] args) => new(args);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// 1 + Σ (K_l − 1)·D_l·Π_{i&lt;l} S_i per axis, accumulated layer by layer. A transposed layer widens by the input
    /// taps one output reads, ceil((D(K−1)+1)/S) − 1, and divides the jump by S; a global pool, flatten or linear layer
    /// makes every output see the whole input, so counting stops there.
    /// </summary>
    private sealed class ReceptiveField
    {
        private readonly double[] _field = { 1, 1, 1 };
        private readonly double[] _jump = { 1, 1, 1 };
        private bool _stopped;

        public string Through { get; private set; } = "";

        public void Add(int axis, long widening, double stride)
        {
            if (_stopped)
            {
                return;
            }

            _field[axis] += widening * _jump[axis];
            _jump[axis] *= stride;
        }

        public void Counted(string layer)
        {
            if (!_stopped)
            {
                Through = layer;
            }
        }

        public void Stop() => _stopped = true;

        public long Size(int axis) => (long)Math.Ceiling(_field[axis] - 1e-9);

        public string Text(int dimensions) => _stopped
            ? "all"
            : dimensions switch
            {
                1 => N(Size(2)),
                3 => $"{N(Size(0))}x{N(Size(1))}x{N(Size(2))}",
                _ => $"{N(Size(1))}x{N(Size(2))}",
            };
    }
}
