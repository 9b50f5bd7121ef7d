using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Retention.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PlacedLegalHoldLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_placed_legal_holds_in_force_placed_at",
                table: "placed_legal_holds",
                column: "placed_at",
                filter: "lifted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_placed_legal_holds_placed_at",
                table: "placed_legal_holds",
                column: "placed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_placed_legal_holds_in_force_placed_at",
                table: "placed_legal_holds");

            migrationBuilder.DropIndex(
                name: "ix_placed_legal_holds_placed_at",
                table: "placed_legal_holds");
        }
    }
}
