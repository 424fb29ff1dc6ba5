"""Attention layers: MultiHeadAttention, and Attention (Luong) / AdditiveAttention (Bahdanau)."""
from .multi_head_attention import MultiHeadAttention
from .score_attention import AdditiveAttention, Attention

__all__ = ["MultiHeadAttention", "Attention", "AdditiveAttention"]
