"""builders/mkdocs"""
