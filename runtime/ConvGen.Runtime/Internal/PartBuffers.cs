using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// A layer's backward-pass buffers (see <see cref="LayerBuffer"/>), one set per part of a threaded backward pass, so
/// that parts running at once on different images never share one. Each part grows only its own slots.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PartBuffers
{
    private readonly int _slots;
    private float[]?[] _buffers;

    /// <summary>Buffers of <paramref name="slots"/> kinds, for one part until <see cref="Reserve"/> asks for more.</summary>
    public PartBuffers(int slots)
    {
        _slots = slots;
        _buffers = new float[]?[slots];
    }

    /// <summary>Makes room for <paramref name="parts"/> parts; called before the parts start, never while they run.</summary>
    public void Reserve(int parts)
    {
        if (_buffers.Length < parts * _slots)
        {
            Array.Resize(ref _buffers, parts * _slots);
        }
    }

    /// <summary>The field-like slot <paramref name="slot"/> of part <paramref name="part"/>, for <see cref="LayerBuffer.Get"/>.</summary>
    public ref float[]? Slot(int part, int slot) => ref _buffers[part * _slots + slot];
}
