"""relate"""
